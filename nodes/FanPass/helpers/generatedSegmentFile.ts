import type { IExecuteFunctions } from 'n8n-workflow';

import { csvByteLength, csvChunks, csvFileData, type CsvRows } from './csv';
import { itemError } from './itemErrors';
import { formatMb, MAX_FILE_BYTES, type SegmentFile } from './segmentFile';
import { zipFileData, zipOneFile } from './zipFile';

export interface GeneratedSegmentFile {
	file: SegmentFile;
	/** Set when the CSV was over 10 MB and is sent zipped: the CSV inside the zip. */
	zippedFrom?: { fileName: string; fileSize: number };
}

export interface GeneratedFileRequest {
	tag: string;
	/** The CSV's name, ending in .csv; a zip gets the same name ending in .zip. */
	fileName: string;
	rows: CsvRows;
	/** How many user IDs the rows hold, for the messages. */
	idCount: number;
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * The file a segment built from items is sent as: its CSV, or, when the CSV would pass FanPass's
 * 10 MB, a zip of it (one request still: each call replaces the segment's members, so a segment
 * can never be sent in parts). Nothing is sent when even the zip is over 10 MB.
 */
export async function generatedSegmentFile(
	context: IExecuteFunctions,
	itemIndex: number,
	request: GeneratedFileRequest,
): Promise<GeneratedSegmentFile> {
	const { tag, rows, idCount } = request;
	const fileName = /\.[A-Za-z0-9]+$/.test(request.fileName) ? request.fileName : `${request.fileName}.csv`;
	if (!/\.csv$/i.test(fileName)) {
		throw itemError(
			context,
			itemIndex,
			`the file name "${fileName}" does not end in .csv, but the node builds a CSV file for segment "${tag}"`,
			'Set Options → File Name to a name ending in .csv, or leave it empty for <tag>.csv.',
		);
	}
	const csvSize = csvByteLength(rows);
	if (csvSize <= MAX_FILE_BYTES) {
		return { file: { fileName, mimeType: 'text/csv', data: csvFileData(rows, csvSize) } };
	}
	const signal = context.getExecutionCancelSignal();
	const content = (function* () {
		for (const chunk of csvChunks(rows)) yield Buffer.from(chunk, 'utf8');
	})();
	const zip = await zipOneFile(fileName, content, () => signal?.aborted === true);
	if (!zip) throw itemError(context, itemIndex, `the execution was stopped while segment "${tag}" was being zipped; nothing was sent`);
	if (zip.byteLength > MAX_FILE_BYTES) {
		throw itemError(
			context,
			itemIndex,
			`segment "${tag}" is too large for FanPass: its ${count(idCount)} user IDs make a ${formatMb(csvSize)} CSV, and zipped it is still ${formatMb(zip.byteLength)}; FanPass accepts one file of at most 10 MB (${count(MAX_FILE_BYTES)} bytes)`,
			'Nothing was sent. Every Create or Update replaces all members of the segment, so a segment is always sent whole, in one file. About 1.6 million random twelve-digit IDs fit in one zipped file (more when the IDs are similar, e.g. consecutive numbers).',
		);
	}
	return {
		file: { fileName: fileName.replace(/\.csv$/i, '') + '.zip', mimeType: 'application/zip', data: zipFileData(zip) },
		zippedFrom: { fileName, fileSize: csvSize },
	};
}
