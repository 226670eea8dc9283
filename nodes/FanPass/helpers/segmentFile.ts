import type { IBinaryData, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { sendSegmentFile, type FanPassTarget } from '../transport/client';
import { byteLengthOf, headOf, type FileData } from '../transport/multipart';
import { itemError } from './itemErrors';

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const ACCEPTED_EXTENSIONS = ['csv', 'xlsx', 'xls', 'zip'];

const CONTENT_TYPES: Record<string, string> = {
	csv: 'text/csv',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	xls: 'application/vnd.ms-excel',
	zip: 'application/zip',
};

const EXTENSION_BY_MIME: Record<string, string> = {
	'text/csv': 'csv',
	'application/csv': 'csv',
	'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
	'application/vnd.ms-excel': 'xls',
	'application/zip': 'zip',
	'application/x-zip-compressed': 'zip',
};

export interface SegmentFile {
	fileName: string;
	data: FileData;
	mimeType?: string;
}

export interface SegmentUpload {
	title: string;
	tag: string;
	sourceType: number;
	notes: string;
	dryRun: boolean;
	correlationId: string;
	file: SegmentFile;
}

export const formatMb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

/** The extension FanPass will see, from the file name or, failing that, the MIME type. */
export function fileExtension(file: SegmentFile): string | undefined {
	const fromName = /\.([A-Za-z0-9]+)$/.exec(file.fileName.trim())?.[1]?.toLowerCase();
	if (fromName) return fromName;
	return file.mimeType ? EXTENSION_BY_MIME[file.mimeType.toLowerCase().split(';')[0].trim()] : undefined;
}

const ZIP_ENTRY = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY = [0x50, 0x4b, 0x05, 0x06];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

const startsWith = (head: Uint8Array, signature: number[]) => signature.every((byte, index) => head[index] === byte);

/** What a file's first bytes say it is, for an error message. */
export function describeBytes(head: Uint8Array): string {
	const hex = Buffer.from(head.subarray(0, 8)).toString('hex').replace(/(..)(?!$)/g, '$1 ').toUpperCase();
	const text = Buffer.from(head).toString('latin1');
	const known: Array<[boolean, string]> = [
		[startsWith(head, ZIP_ENTRY) || startsWith(head, ZIP_EMPTY), 'a ZIP archive (PK), e.g. a .zip or an .xlsx workbook'],
		[startsWith(head, OLE), 'an OLE document (D0 CF 11 E0), e.g. an old Excel .xls'],
		[text.startsWith('%PDF'), 'a PDF document'],
		[head[0] === 0x1f && head[1] === 0x8b, 'a gzip archive (.gz), which FanPass does not read'],
		[head[0] === 0xff && head[1] === 0xfe, 'UTF-16 text (byte order mark FF FE)'],
		[head[0] === 0xfe && head[1] === 0xff, 'UTF-16 text (byte order mark FE FF)'],
		[text.startsWith('\x89PNG') || (head[0] === 0xff && head[1] === 0xd8), 'an image'],
		[/^\s*</.test(text), 'HTML or XML text (e.g. a web page or an XML spreadsheet saved under another name)'],
	];
	const match = known.find(([matches]) => matches);
	if (match) return `${match[1]}; its first bytes are ${hex}`;
	return /^[\t\n\r\x20-\x7e]*$/.test(text) ? `text ("${text.slice(0, 16).replace(/[\r\n]+/g, ' ')}")` : `bytes ${hex}`;
}

/** The offset of the first byte that is not part of UTF-8 text (a NUL counts), or -1. */
export function firstNonTextByte(bytes: Uint8Array): number {
	let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
	while (i < bytes.length) {
		const byte = bytes[i];
		if (byte < 0x80) {
			if (byte === 0) return i;
			i++;
			continue;
		}
		const length = byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xef ? 3 : byte >= 0xf0 && byte <= 0xf4 ? 4 : 0;
		if (length === 0 || i + length > bytes.length) return i;
		const second = bytes[i + 1];
		// no overlong forms, no UTF-16 surrogates, nothing above U+10FFFF
		const secondLow = byte === 0xe0 ? 0xa0 : byte === 0xf0 ? 0x90 : 0x80;
		const secondHigh = byte === 0xed ? 0x9f : byte === 0xf4 ? 0x8f : 0xbf;
		if (second < secondLow || second > secondHigh) return i;
		for (let k = 2; k < length; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i;
		i += length;
	}
	return -1;
}

const SIGNATURES: Record<string, { says: string; matches: (head: Uint8Array) => boolean }> = {
	zip: { says: 'a ZIP archive, which starts with PK 03 04 (or PK 05 06 when empty)', matches: (head) => startsWith(head, ZIP_ENTRY) || startsWith(head, ZIP_EMPTY) },
	xlsx: { says: 'an Excel workbook, which is a ZIP archive starting with PK 03 04', matches: (head) => startsWith(head, ZIP_ENTRY) },
	xls: { says: 'an Excel 97-2003 workbook, which starts with the OLE signature D0 CF 11 E0 A1 B1 1A E1', matches: (head) => startsWith(head, OLE) },
};

/** Why the bytes do not match the extension, or undefined when they do. */
function signatureProblem(extension: string, data: FileData): string | undefined {
	const head = headOf(data);
	const signature = SIGNATURES[extension];
	if (signature) return signature.matches(head) ? undefined : `.${extension} says ${signature.says}, but the file is ${describeBytes(head)}`;
	// csv: UTF-8 text (a UTF-8 byte order mark is allowed), as FanPass reads it; a CSV the node
	// generates is UTF-8 by construction (its cells are JavaScript strings)
	if (!Buffer.isBuffer(data)) return undefined;
	const at = firstNonTextByte(data);
	if (at < 0) return undefined;
	const what = data[at] === 0 ? `a NUL byte at offset ${at}` : `a byte that is not UTF-8 at offset ${at} (0x${data[at].toString(16).toUpperCase().padStart(2, '0')})`;
	return `.csv says UTF-8 text, but the file has ${what}; it is ${describeBytes(head)}`;
}

const SIGNATURE_ADVICE: Record<string, string> = {
	csv: 'FanPass reads a CSV as UTF-8 text. Save it as "CSV UTF-8", or read it with Extract from File (Options → Encoding) and write it back with Convert to File; a file of another type needs its own extension.',
	zip: 'Zip the file with n8n\'s Compression node, or give the file the extension of what it is.',
	xlsx: 'Save it from Excel as an .xlsx workbook, or give the file the extension of what it is (e.g. .csv or .xls).',
	xls: 'Save it from Excel as an .xls (97-2003) or .xlsx workbook, or give the file the extension of what it is (an HTML or XML "spreadsheet" is not a workbook FanPass reads).',
};

/** Refuses a file over FanPass's 10 MB from its size alone, before it is read. */
export function checkFileSize(context: IExecuteFunctions, fileName: string, size: number, itemIndex: number): void {
	if (size <= MAX_FILE_BYTES) return;
	throw itemError(
		context,
		itemIndex,
		`the file "${fileName}" is ${formatMb(size)} (${size} bytes); FanPass accepts at most 10 MB (${MAX_FILE_BYTES} bytes)`,
		'Compress it to a .zip with n8n\'s Compression node: a CSV compresses well (about 1.6 million random twelve-digit IDs fit in 10 MB zipped). Every upload replaces the whole segment, so one segment cannot be sent as several files.',
	);
}

/**
 * A binary's size as n8n knows it without reading it: `bytes` (n8n 2.x), the stored metadata of
 * the filesystem, database or S3 modes (n8n 1.x gives only a rounded text there), or the length of
 * the base64 text of an in-memory binary. Undefined when n8n does not say.
 */
export async function knownBinarySize(context: IExecuteFunctions, binary: IBinaryData): Promise<number | undefined> {
	if (typeof binary.bytes === 'number') return binary.bytes;
	if (binary.id) {
		const metadata = await context.helpers.getBinaryMetadata(binary.id).then(
			(stored) => stored,
			() => undefined, // no stored metadata: the size is checked once the file is read
		);
		return typeof metadata?.fileSize === 'number' ? metadata.fileSize : undefined;
	}
	if (typeof binary.data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(binary.data.slice(-4))) return undefined;
	const padding = binary.data.endsWith('==') ? 2 : binary.data.endsWith('=') ? 1 : 0;
	return Math.floor((binary.data.length * 3) / 4) - padding;
}

/** Checks type, signature and size locally, so a file FanPass would refuse never leaves n8n. */
export function checkSegmentFile(context: IExecuteFunctions, untrimmed: SegmentFile, itemIndex: number): string {
	const file = { ...untrimmed, fileName: untrimmed.fileName.trim() };
	const extension = fileExtension(file);
	if (!extension || !ACCEPTED_EXTENSIONS.includes(extension)) {
		throw itemError(
			context,
			itemIndex,
			`the file "${file.fileName}" is ${extension ? `a .${extension} file` : 'of unknown type'}; FanPass accepts only .csv, .xlsx, .xls or .zip`,
			'Convert it with n8n\'s Convert to File node (to CSV or XLSX), or name it with the right extension.',
		);
	}
	const size = byteLengthOf(file.data);
	if (size === 0) {
		throw itemError(context, itemIndex, `the file "${file.fileName}" is empty; a segment file needs at least one user ID`);
	}
	checkFileSize(context, file.fileName, size, itemIndex);
	const problem = signatureProblem(extension, file.data);
	if (problem) {
		throw itemError(context, itemIndex, `the file "${file.fileName}" is not what its extension says: ${problem}`, SIGNATURE_ADVICE[extension]);
	}
	return extension;
}

export function fileNameWithExtension(file: SegmentFile, extension: string): string {
	return /\.[A-Za-z0-9]+$/.test(file.fileName) ? file.fileName : `${file.fileName || 'segment'}.${extension}`;
}

/** Checks a segment file, sends it in file mode and returns what the user should see of it. */
export async function uploadSegmentFile(
	context: IExecuteFunctions,
	target: FanPassTarget,
	upload: SegmentUpload,
): Promise<IDataObject> {
	const file = { ...upload.file, fileName: upload.file.fileName.trim() };
	const extension = checkSegmentFile(context, file, target.itemIndex);
	const fileName = fileNameWithExtension(file, extension);
	const { envelope, importId, lookupKey } = await sendSegmentFile(context, target, {
		title: upload.title,
		tag: upload.tag,
		sourceType: upload.sourceType,
		notes: upload.notes,
		dryRun: upload.dryRun,
		correlationId: upload.correlationId,
		fileName,
		contentType: CONTENT_TYPES[extension],
		data: upload.file.data,
	});
	const result: IDataObject = {
		tag: upload.tag,
		title: upload.title,
		sourceType: upload.sourceType,
		mode: 'file',
		dryRun: upload.dryRun,
		importId,
		lookupKey,
		correlationId: envelope.correlationId,
		messages: envelope.messages,
		fileName,
		fileSize: byteLengthOf(upload.file.data),
	};
	if (envelope.errors.length > 0) result.warnings = envelope.errors;
	return result;
}

/** A correlation id that lets FanReach support trace an import back to this n8n execution. */
export function defaultCorrelationId(context: IExecuteFunctions, tag: string): string {
	const workflowId = context.getWorkflow().id ?? 'workflow';
	return `n8n-${workflowId}-${context.getExecutionId() ?? 'manual'}-${tag}`;
}
