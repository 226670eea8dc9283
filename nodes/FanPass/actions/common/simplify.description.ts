import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** The first node version whose outputs are simplified by default (docs/VERSIONING.md). */
export const SIMPLIFY_SINCE_VERSION = 2;

/** n8n's Simplify switch; version 1 nodes keep their full output, as they were saved. */
export const simplifyProperty: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
	displayOptions: { show: { '@version': [{ _cnd: { gte: SIMPLIFY_SINCE_VERSION } }] } },
};

/** Whether this run's output is simplified: never on version 1, where the switch does not exist. */
export function isSimplified(context: IExecuteFunctions, read: () => unknown): boolean {
	return context.getNode().typeVersion >= SIMPLIFY_SINCE_VERSION && read() !== false;
}

/** Keeps only the named fields that are present, in that order. */
export function pick(json: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
	const picked: Record<string, unknown> = {};
	for (const field of fields) if (json[field] !== undefined) picked[field] = json[field];
	return picked;
}
