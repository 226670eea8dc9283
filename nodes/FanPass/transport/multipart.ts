import { randomBytes } from 'crypto';

export interface MultipartFile {
	fieldName: string;
	fileName: string;
	contentType: string;
	data: Buffer;
}

export interface MultipartBody {
	body: Buffer;
	contentType: string;
}

const quote = (value: string) => value.replace(/["\r\n\\]/g, (char) => encodeURIComponent(char));

/**
 * Encodes text fields and one file as multipart/form-data (RFC 7578). Built here, as bytes,
 * so the upload is identical on every n8n version whatever its HTTP client does with FormData.
 */
export function encodeMultipart(fields: Record<string, string>, file: MultipartFile): MultipartBody {
	const boundary = `----n8nFanPass${randomBytes(12).toString('hex')}`;
	const parts: Buffer[] = [];
	for (const [name, value] of Object.entries(fields)) {
		parts.push(
			Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`, 'utf8'),
		);
	}
	parts.push(
		Buffer.from(
			`--${boundary}\r\nContent-Disposition: form-data; name="${quote(file.fieldName)}"; filename="${quote(file.fileName)}"\r\nContent-Type: ${file.contentType}\r\n\r\n`,
			'utf8',
		),
		file.data,
		Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
	);
	return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
