import type { IDataObject } from 'n8n-workflow';

/** The body FanPass sends with every answer, success or error. */
export interface FanPassEnvelope extends IDataObject {
	status: number;
	correlationId: string;
	messages: string[];
	errors: string[];
}

const asStrings = (value: unknown): string[] =>
	Array.isArray(value) ? value.filter((entry) => entry !== null && entry !== undefined).map(String) : [];

/**
 * Reads FanPass's JSON envelope from a response body (already parsed or raw text). Returns
 * undefined when the body is not the envelope, e.g. a proxy's HTML page or an empty body.
 */
export function parseEnvelope(body: unknown): FanPassEnvelope | undefined {
	let parsed = body;
	if (Buffer.isBuffer(parsed)) parsed = parsed.toString('utf8');
	if (typeof parsed === 'string') {
		try {
			parsed = JSON.parse(parsed);
		} catch {
			return undefined;
		}
	}
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
	const object = parsed as IDataObject;
	if (!('messages' in object) && !('errors' in object) && !('correlationId' in object)) return undefined;
	return {
		...object,
		status: typeof object.status === 'number' ? object.status : Number(object.status) || 0,
		correlationId: typeof object.correlationId === 'string' ? object.correlationId : '',
		messages: asStrings(object.messages),
		errors: asStrings(object.errors),
	};
}

/** A short, safe preview of a body that was not FanPass's envelope. */
export function previewBody(body: unknown): string {
	if (body === undefined || body === null || body === '') return '(empty body)';
	const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : JSON.stringify(body);
	const flat = text.replace(/\s+/g, ' ').trim();
	return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
