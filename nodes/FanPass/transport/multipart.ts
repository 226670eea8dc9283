import { randomBytes } from 'crypto';

/** A file as one buffer, or as parts sent one after the other (e.g. a zip's headers and data). */
export type FileData = Buffer | { readonly parts: readonly Buffer[]; readonly byteLength: number };

export const byteLengthOf = (data: FileData): number => (Buffer.isBuffer(data) ? data.length : data.byteLength);

export interface MultipartFile {
	fieldName: string;
	fileName: string;
	contentType: string;
	data: FileData;
}

export interface MultipartBody {
	body: Buffer;
	contentType: string;
}

const quote = (value: string) => value.replace(/["\r\n\\]/g, (char) => encodeURIComponent(char));

/**
 * Encodes text fields and one file as multipart/form-data (RFC 7578). Built here, as bytes,
 * so the upload is identical on every n8n version whatever its HTTP client does with FormData.
 * The body is the one copy of the file: allocated once at its final size and written in place.
 */
export function encodeMultipart(fields: Record<string, string>, file: MultipartFile): MultipartBody {
	const boundary = `----n8nFanPass${randomBytes(12).toString('hex')}`;
	let head = '';
	for (const [name, value] of Object.entries(fields)) {
		head += `--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`;
	}
	head += `--${boundary}\r\nContent-Disposition: form-data; name="${quote(file.fieldName)}"; filename="${quote(file.fileName)}"\r\nContent-Type: ${file.contentType}\r\n\r\n`;
	const tail = `\r\n--${boundary}--\r\n`;
	const parts = Buffer.isBuffer(file.data) ? [file.data] : file.data.parts;
	const headBytes = Buffer.byteLength(head, 'utf8');
	const body = Buffer.allocUnsafe(headBytes + byteLengthOf(file.data) + Buffer.byteLength(tail, 'utf8'));
	let offset = body.write(head, 0, 'utf8');
	for (const part of parts) offset += part.copy(body, offset);
	offset += body.write(tail, offset, 'utf8');
	if (offset !== body.length) throw new Error(`multipart body is ${offset} bytes, expected ${body.length}`);
	return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}
