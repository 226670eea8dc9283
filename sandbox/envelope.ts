/**
 * The FanPass response envelope: `{status, correlationId, messages, errors}` plus endpoint fields.
 */
import type { ServerResponse } from 'node:http';

export const UNAUTHORIZED_MESSAGE =
	'The API access token is missing or invalid. Please verify that you are using the correct FanPass API token, which is available in the Fanreach Portal.';

/** Prefix of every warning; the envelope has no warnings field, so warnings go in `messages`. */
export const WARNING_PREFIX = 'Warning: ';

export interface Envelope {
	status: number;
	correlationId: string;
	messages: string[];
	errors: string[];
	[field: string]: unknown;
}

/** What a route answers; the server wraps it in the envelope. */
export interface ApiResult {
	status: number;
	messages: string[];
	errors: string[];
	/** Endpoint fields appended after the envelope fields. */
	extra?: Record<string, unknown>;
	headers?: Record<string, string>;
}

/** Thrown by routes to answer with an error envelope. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly errors: string[],
		readonly headers: Record<string, string> = {},
	) {
		super(errors.join('; '));
		this.name = 'ApiError';
	}
}

export function ok(messages: string[], extra?: Record<string, unknown>): ApiResult {
	return { status: 200, messages, errors: [], extra };
}

export function missingFields(fields: string[]): ApiError {
	return new ApiError(400, [`Missing required fields: ${fields.join(', ')}`]);
}

export function toEnvelope(result: ApiResult, correlationId: string): Envelope {
	return {
		status: result.status,
		correlationId,
		messages: result.messages,
		errors: result.errors,
		...(result.extra ?? {}),
	};
}

export function errorResult(error: unknown): ApiResult {
	if (error instanceof ApiError) {
		return { status: error.status, messages: [], errors: error.errors, headers: error.headers };
	}
	const detail = error instanceof Error ? error.message : String(error);
	return { status: 500, messages: [], errors: [`Internal sandbox error: ${detail}`] };
}

export function sendJson(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': String(Buffer.byteLength(text)),
		...headers,
	});
	res.end(text);
}
