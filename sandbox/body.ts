/**
 * Reading request bodies: whole bodies with a size cap (always drained, so the client never
 * sees a reset connection), and JSON parsing into the envelope's 400/413/415 errors.
 */
import type { IncomingMessage } from 'node:http';
import { ApiError } from './envelope';
import { isPlainObject } from './validation';

export interface RawBody {
	bytes: Buffer;
	/** More than `limit` bytes were sent; `bytes` holds only the first `limit`. */
	tooLarge: boolean;
}

export function readBody(req: IncomingMessage, limit: number): Promise<RawBody> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let tooLarge = false;
		req.on('data', (chunk: Buffer) => {
			if (tooLarge) return;
			if (size + chunk.length > limit) {
				tooLarge = true;
				chunks.push(chunk.subarray(0, limit - size));
				size = limit;
				return;
			}
			chunks.push(chunk);
			size += chunk.length;
		});
		req.on('end', () => resolve({ bytes: Buffer.concat(chunks), tooLarge }));
		req.on('error', reject);
	});
}

/** Reads and discards the rest of a request. */
export function drain(req: IncomingMessage): Promise<void> {
	if (req.readableEnded || req.destroyed) return Promise.resolve();
	return new Promise((resolve) => {
		const done = () => resolve();
		req.on('end', done);
		req.on('close', done);
		req.on('error', done);
		req.resume();
	});
}

export type BodyKind = 'json' | 'multipart' | 'unsupported';

/** No Content-Type, JSON types and text/plain are read as JSON. */
export function bodyKind(contentType: string | undefined): BodyKind {
	const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
	if (type === 'multipart/form-data') return 'multipart';
	if (type === '' || type === 'application/json' || type.endsWith('+json') || type === 'text/plain') return 'json';
	return 'unsupported';
}

export function unsupportedContentType(contentType: string | undefined, allowMultipart: boolean): ApiError {
	const accepted = allowMultipart ? 'application/json or multipart/form-data' : 'application/json';
	return new ApiError(415, [`Unsupported Content-Type "${contentType ?? ''}": send ${accepted}`]);
}

export type JsonBody = { ok: true; body: Record<string, unknown> } | { ok: false; rawText: string; error: ApiError };

const MAX_RECORDED_RAW = 64 * 1024;

/** Parses a JSON object body; an empty body is `{}`. */
export function parseJsonBody(raw: RawBody, limit: number): JsonBody {
	const text = raw.bytes.toString('utf8');
	const rawText = text.slice(0, MAX_RECORDED_RAW);
	if (raw.tooLarge) {
		return { ok: false, rawText, error: new ApiError(413, [`Request body too large: maximum is ${limit} bytes`]) };
	}
	if (text.trim() === '') return { ok: true, body: {} };
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch (error) {
		const detail = error instanceof Error ? error.message : String(error);
		return { ok: false, rawText, error: new ApiError(400, [`Invalid JSON body: ${detail}`]) };
	}
	if (!isPlainObject(parsed)) {
		return { ok: false, rawText, error: new ApiError(400, ['Invalid JSON body: expected a JSON object']) };
	}
	return { ok: true, body: parsed };
}
