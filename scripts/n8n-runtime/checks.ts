/** A tiny check reporter for the n8n runtime tools: prints each check as it runs and keeps them for the summary. */

export interface Check {
	section: string;
	name: string;
	ok: boolean;
	detail?: string;
}

export function show(value: unknown, max = 600): string {
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	return text === undefined ? 'undefined' : text.length > max ? `${text.slice(0, max)}…` : text;
}

/** JSON with object keys sorted, so that key order does not matter. */
export function canonical(value: unknown): string {
	return JSON.stringify(value, (_key, v: unknown) =>
		v && typeof v === 'object' && !Array.isArray(v)
			? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
			: v,
	);
}

export class Checks {
	readonly all: Check[] = [];
	section = 'setup';

	constructor(private readonly redact: (text: string) => string = (t) => t) {}

	check(name: string, ok: boolean, detail?: unknown): boolean {
		const text = ok || detail === undefined ? undefined : this.redact(show(detail));
		this.all.push({ section: this.section, name, ok, detail: text });
		console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${name}${text !== undefined ? `\n         ${text}` : ''}`);
		return ok;
	}

	equal(name: string, actual: unknown, expected: unknown): boolean {
		const ok = canonical(actual) === canonical(expected);
		return this.check(name, ok, ok ? undefined : `expected ${show(expected)}, got ${show(actual)}`);
	}

	get failed(): Check[] {
		return this.all.filter((c) => !c.ok);
	}
}
