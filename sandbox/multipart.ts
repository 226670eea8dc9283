/**
 * multipart/form-data parsing with busboy: text fields plus the single `file` part,
 * capped at the 10 MB upload limit.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { ApiError } from './envelope';
import type { RecordedFile } from './state';

export interface MultipartBody {
	/** Text fields by name (the last value wins when a name repeats). */
	fields: Record<string, string>;
	/** The `file` part, or null when there was none. */
	file: RecordedFile | null;
	/** How many parts named `file` were sent (more than one is an error). */
	filePartCount: number;
}

export function parseMultipart(req: IncomingMessage, maxFileBytes: number): Promise<MultipartBody> {
	let parser: busboy.Busboy;
	try {
		parser = busboy({
			headers: req.headers,
			defParamCharset: 'utf8',
			// busboy flags a file that *reaches* fileSize, so allow one byte more and compare.
			limits: { fileSize: maxFileBytes + 1, fieldSize: 1024 * 1024, fields: 100, files: 20, parts: 200 },
		});
	} catch (error) {
		const detail = error instanceof Error ? error.message : String(error);
		return Promise.reject(new ApiError(400, [`Malformed multipart/form-data body: ${detail}`]));
	}

	return new Promise((resolve, reject) => {
		const fields: Record<string, string> = {};
		let file: RecordedFile | null = null;
		let filePartCount = 0;
		let pendingFile: Promise<void> = Promise.resolve();
		let failed = false;

		const fail = (detail: string) => {
			if (failed) return;
			failed = true;
			req.unpipe(parser);
			req.resume();
			reject(new ApiError(400, [`Malformed multipart/form-data body: ${detail}`]));
		};

		parser.on('field', (name, value) => {
			fields[name] = value;
		});

		parser.on('file', (name, stream, info) => {
			if (name !== 'file') {
				stream.resume();
				return;
			}
			filePartCount += 1;
			if (filePartCount > 1) {
				stream.resume();
				return;
			}
			const chunks: Buffer[] = [];
			const hash = createHash('sha256');
			let size = 0;
			pendingFile = new Promise((done) => {
				stream.on('data', (chunk: Buffer) => {
					chunks.push(chunk);
					hash.update(chunk);
					size += chunk.length;
				});
				stream.on('close', () => {
					file = {
						fieldName: name,
						fileName: info.filename ?? '',
						mimeType: info.mimeType,
						size,
						sha256: hash.digest('hex'),
						truncated: size > maxFileBytes,
						bytes: Buffer.concat(chunks),
					};
					done();
				});
			});
		});

		parser.on('error', (error: unknown) => fail(error instanceof Error ? error.message : String(error)));
		parser.on('close', () => {
			if (failed) return;
			void pendingFile.then(() => resolve({ fields, file, filePartCount }));
		});
		req.on('error', (error) => fail(error.message));
		req.pipe(parser);
	});
}
