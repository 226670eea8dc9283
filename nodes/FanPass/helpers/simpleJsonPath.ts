import type { IDataObject } from 'n8n-workflow';

/** `{{ $json.a.b }}`, `{{ $json["a b"] }}`, `{{ $json.list[0] }}`: a plain read of the current item. */
const SIMPLE_EXPRESSION = /^=\{\{\s*\$json((?:\.[A-Za-z_$][\w$]*|\[\s*(?:'[^'\\]*'|"[^"\\]*"|\d+)\s*\])+)\s*\}\}$/;
const SEGMENT = /\.([A-Za-z_$][\w$]*)|\[\s*(?:'([^'\\]*)'|"([^"\\]*)"|(\d+))\s*\]/g;

/**
 * The property path of an expression that only reads the current item's JSON, or undefined for
 * anything else (which n8n's expression engine must evaluate).
 */
export function simpleJsonPath(raw: unknown): string[] | undefined {
	if (typeof raw !== 'string') return undefined;
	const match = SIMPLE_EXPRESSION.exec(raw);
	if (!match) return undefined;
	return [...match[1].matchAll(SEGMENT)].map((segment) => segment[1] ?? segment[2] ?? segment[3] ?? segment[4]);
}

/** Reads a path the way the expression would: a missing step gives undefined, not an error. */
export function readJsonPath(json: IDataObject | undefined, path: string[]): unknown {
	let value: unknown = json;
	for (const key of path) {
		if (value === null || value === undefined || typeof value !== 'object') return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}
