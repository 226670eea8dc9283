import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { sendSegmentFile, type FanPassTarget } from '../transport/client';
import { byteLengthOf, type FileData } from '../transport/multipart';
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
	const fromName = /\.([A-Za-z0-9]+)$/.exec(file.fileName)?.[1]?.toLowerCase();
	if (fromName) return fromName;
	return file.mimeType ? EXTENSION_BY_MIME[file.mimeType.toLowerCase().split(';')[0].trim()] : undefined;
}

/** Checks type and size locally, so a file FanPass would refuse never leaves n8n. */
export function checkSegmentFile(context: IExecuteFunctions, file: SegmentFile, itemIndex: number): string {
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
	if (size > MAX_FILE_BYTES) {
		throw itemError(
			context,
			itemIndex,
			`the file "${file.fileName}" is ${formatMb(size)} (${size} bytes); FanPass accepts at most 10 MB (${MAX_FILE_BYTES} bytes)`,
			'Compress it to a .zip with n8n\'s Compression node (CSV compresses well), or split the audience into several segments.',
		);
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
	const extension = checkSegmentFile(context, upload.file, target.itemIndex);
	const fileName = fileNameWithExtension(upload.file, extension);
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
