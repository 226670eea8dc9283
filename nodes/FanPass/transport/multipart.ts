import { randomBytes } from 'crypto';

/** A file the node generates: written straight into the request body, so it never has a buffer of its own. */
export interface GeneratedFileData {
	readonly byteLength: number;
	/** The first bytes (at least 16 when the file has them), for signature checks. */
	readonly head: Buffer;
	/** Writes exactly byteLength bytes into target at offset. */
	writeInto(target: Buffer, offset: number): void;
}

/** A file as one buffer (e.g. an input binary), or generated into the body. */
export type FileData = Buffer | GeneratedFileData;

export const byteLengthOf = (data: FileData): number => (Buffer.isBuffer(data) ? data.length : data.byteLength);

export const headOf = (data: FileData): Buffer => (Buffer.isBuffer(data) ? data.subarray(0, 16) : data.head);

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
	const size = byteLengthOf(file.data);
	const body = Buffer.allocUnsafe(Buffer.byteLength(head, 'utf8') + size + Buffer.byteLength(tail, 'utf8'));
	let offset = body.write(head, 0, 'utf8');
	if (Buffer.isBuffer(file.data)) file.data.copy(body, offset);
	else file.data.writeInto(body, offset);
	offset += size;
	offset += body.write(tail, offset, 'utf8');
	if (offset !== body.length) throw new Error(`multipart body is ${offset} bytes, expected ${body.length}`);
	return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}
