/**
 * Reads a response body that n8n handed over as a stream, under the attempt's deadline and a
 * size limit, so that neither a server trickling one byte at a time nor a huge answer can hold
 * the node: the stream is destroyed (closing the connection) the moment either is passed.
 */

/** The most of an answer the node reads: far above any FanPass answer seen (a few kB). */
export const MAX_RESPONSE_BYTES = 100 * 1024 * 1024;

export class ResponseTooLargeError extends Error {
	constructor(readonly limitBytes: number, readonly declaredBytes?: number) {
		super(
			declaredBytes !== undefined
				? `the answer declares ${declaredBytes} bytes, more than the ${limitBytes} the node reads`
				: `the answer passed the ${limitBytes} bytes the node reads`,
		);
		this.name = 'ResponseTooLargeError';
	}
}

interface ReadableBody {
	[Symbol.asyncIterator](): AsyncIterator<unknown>;
	destroy?(error?: Error): void;
}

export const isReadableBody = (body: unknown): body is ReadableBody =>
	typeof body === 'object' && body !== null && typeof (body as ReadableBody)[Symbol.asyncIterator] === 'function';

/** Closes a body that will not be read (a late answer to an abandoned attempt). */
export function discardBody(body: unknown): void {
	if (isReadableBody(body)) body.destroy?.();
}

export type BodyRead = { bytes: Buffer; tooLarge?: undefined } | { bytes?: undefined; tooLarge: ResponseTooLargeError };

/**
 * The whole body as bytes, or `tooLarge` past `maxBytes`. Rejects when the signal aborts first
 * (the stream is destroyed with the signal's reason); the caller tells which signal it was.
 */
export async function readBody(body: unknown, signal: AbortSignal, maxBytes = MAX_RESPONSE_BYTES, declaredBytes?: number): Promise<BodyRead> {
	if (!isReadableBody(body)) {
		if (Buffer.isBuffer(body)) return { bytes: body };
		if (typeof body === 'string') return { bytes: Buffer.from(body, 'utf8') };
		return { bytes: Buffer.from(body === undefined || body === null ? '' : JSON.stringify(body), 'utf8') };
	}
	if (declaredBytes !== undefined && declaredBytes > maxBytes) {
		body.destroy?.();
		return { tooLarge: new ResponseTooLargeError(maxBytes, declaredBytes) };
	}
	const chunks: Buffer[] = [];
	let size = 0;
	const abort = () => body.destroy?.(signal.reason instanceof Error ? signal.reason : new Error('The attempt was abandoned'));
	signal.throwIfAborted();
	signal.addEventListener('abort', abort, { once: true });
	try {
		for await (const chunk of body as AsyncIterable<unknown>) {
			const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), 'utf8');
			size += bytes.length;
			if (size > maxBytes) {
				body.destroy?.();
				return { tooLarge: new ResponseTooLargeError(maxBytes) };
			}
			chunks.push(bytes);
		}
	} finally {
		signal.removeEventListener('abort', abort);
	}
	// A stream destroyed without an error ends its loop quietly: an abort must not pass for a full body.
	signal.throwIfAborted();
	return { bytes: Buffer.concat(chunks, size) };
}
