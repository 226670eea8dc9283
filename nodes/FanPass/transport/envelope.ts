import type { IDataObject } from 'n8n-workflow';

/**
 * The body FanPass sends with every answer, success or error. `messages` and `errors` are
 * bounded copies of FanPass's lists (see boundTexts); `messageCount` and `errorCount` say how
 * many FanPass actually sent. On a success, `errors` are FanPass's warnings about the request.
 */
export interface FanPassEnvelope extends IDataObject {
	status: number;
	correlationId: string;
	messages: string[];
	errors: string[];
	/** How many messages FanPass sent (messages holds at most MAX_LISTED of them, plus a note). */
	messageCount: number;
	/** How many errors FanPass sent (errors holds at most MAX_LISTED of them, plus a note). */
	errorCount: number;
}

/** At most this many of FanPass's messages (and of its errors) are kept. */
export const MAX_LISTED = 20;
/** Each kept message or error is cut to this many characters. */
export const MAX_TEXT_CHARS = 500;

const count = (n: number) => n.toLocaleString('en-US');

function boundText(text: string): string {
	if (text.length <= MAX_TEXT_CHARS) return text;
	return `${text.slice(0, MAX_TEXT_CHARS)}… (${count(text.length - MAX_TEXT_CHARS)} more characters)`;
}

/**
 * The first MAX_LISTED strings of a FanPass list, each cut to MAX_TEXT_CHARS, and a last entry
 * saying how many were left out: a 60 MB answer stays a few kB in the node's output.
 */
export function boundTexts(value: unknown, what: 'messages' | 'errors'): { texts: string[]; total: number } {
	if (!Array.isArray(value)) return { texts: [], total: 0 };
	const present = value.filter((entry) => entry !== null && entry !== undefined);
	const texts = present
		.slice(0, MAX_LISTED)
		.map((entry) => boundText(typeof entry === 'string' ? entry : JSON.stringify(entry) ?? String(entry)));
	if (present.length > MAX_LISTED) {
		texts.push(`(FanPass sent ${count(present.length)} ${what}; the first ${MAX_LISTED} are shown, ${count(present.length - MAX_LISTED)} were left out)`);
	}
	return { texts, total: present.length };
}

/**
 * Reads FanPass's JSON envelope from a response body (already parsed, raw text or bytes). Returns
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
	const messages = boundTexts(object.messages, 'messages');
	const errors = boundTexts(object.errors, 'errors');
	return {
		...object,
		status: typeof object.status === 'number' ? object.status : Number(object.status) || 0,
		correlationId: typeof object.correlationId === 'string' ? boundText(object.correlationId) : '',
		messages: messages.texts,
		errors: errors.texts,
		messageCount: messages.total,
		errorCount: errors.total,
	};
}

/** A short, safe preview of a body that was not FanPass's envelope. */
export function previewBody(body: unknown): string {
	if (body === undefined || body === null || body === '') return '(empty body)';
	const text = Buffer.isBuffer(body)
		? body.subarray(0, 1000).toString('utf8')
		: typeof body === 'string'
			? body.slice(0, 1000)
			: JSON.stringify(body).slice(0, 1000);
	const flat = text.replace(/\s+/g, ' ').trim();
	return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
