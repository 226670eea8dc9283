/**
 * Turning an uploaded file into rows of text cells: CSV, XLSX, XLS, or a ZIP holding one of those.
 */
import { unzipSync } from 'fflate';
import * as XLSX from 'xlsx';
import { parseCsv, CsvError } from './csv';

export type FileKind = 'csv' | 'xlsx' | 'xls' | 'zip';
export type DataFileKind = Exclude<FileKind, 'zip'>;

export const ALLOWED_EXTENSIONS: readonly string[] = ['.csv', '.xlsx', '.xls', '.zip'];

/** Largest uncompressed ZIP entry read (guards against zip bombs). */
export const MAX_UNZIPPED_BYTES = 100 * 1024 * 1024;

export class FileFormatError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'FileFormatError';
	}
}

export function extensionOf(fileName: string): string {
	const base = fileName.split(/[\\/]/).pop() ?? '';
	const dot = base.lastIndexOf('.');
	return dot <= 0 ? '' : base.slice(dot).toLowerCase();
}

export function fileKindOf(fileName: string): FileKind | null {
	const extension = extensionOf(fileName);
	return ALLOWED_EXTENSIONS.includes(extension) ? (extension.slice(1) as FileKind) : null;
}

export function readRows(bytes: Uint8Array, kind: FileKind): string[][] {
	switch (kind) {
		case 'csv':
			return readCsv(bytes);
		case 'xlsx':
		case 'xls':
			return readWorkbook(bytes, kind);
		case 'zip':
			return readZip(bytes);
	}
}

function readCsv(bytes: Uint8Array): string[][] {
	try {
		return parseCsv(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
	} catch (error) {
		if (error instanceof CsvError) throw new FileFormatError(error.message);
		throw error;
	}
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
	return magic.every((byte, index) => bytes[index] === byte);
}

function cellText(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (value instanceof Date) return value.toISOString();
	return String(value);
}

/**
 * The first sheet only. XLSX must be an OOXML (zip) workbook; XLS a BIFF (CFB) workbook, or the
 * XML/HTML spreadsheets Excel also saves as .xls.
 */
function readWorkbook(bytes: Uint8Array, kind: 'xlsx' | 'xls'): string[][] {
	const label = kind.toUpperCase();
	const looksRight =
		kind === 'xlsx' ? startsWith(bytes, ZIP_MAGIC) : startsWith(bytes, CFB_MAGIC) || bytes[0] === 0x3c; /* '<' */
	if (!looksRight) throw new FileFormatError(`Could not read ${label} file: not an Excel workbook`);
	let workbook: XLSX.WorkBook;
	try {
		workbook = XLSX.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { type: 'buffer', cellDates: true });
	} catch (error) {
		const detail = error instanceof Error ? error.message : String(error);
		throw new FileFormatError(`Could not read ${label} file: ${detail}`);
	}
	const firstSheet = workbook.SheetNames[0];
	if (firstSheet === undefined) return [];
	const rows = XLSX.utils.sheet_to_json<unknown[]>(workbook.Sheets[firstSheet], {
		header: 1,
		raw: true,
		defval: '',
		blankrows: false,
	});
	return rows.map((row) => row.map(cellText));
}

function isDataEntry(name: string): boolean {
	if (name.endsWith('/')) return false;
	if (name.startsWith('__MACOSX/')) return false;
	const base = name.split('/').pop() ?? '';
	if (base.startsWith('.')) return false;
	const kind = fileKindOf(base);
	return kind !== null && kind !== 'zip';
}

/** A ZIP must hold exactly one .csv/.xlsx/.xls file; other entries are ignored. */
function readZip(bytes: Uint8Array): string[][] {
	const candidates: { name: string; originalSize: number }[] = [];
	try {
		unzipSync(bytes, {
			filter: (info) => {
				if (isDataEntry(info.name)) candidates.push({ name: info.name, originalSize: info.originalSize });
				return false;
			},
		});
	} catch (error) {
		const detail = error instanceof Error ? error.message : String(error);
		throw new FileFormatError(`Could not read ZIP archive: ${detail}`);
	}
	if (candidates.length !== 1) {
		const found = candidates.length === 0 ? 'none' : candidates.map((entry) => entry.name).join(', ');
		throw new FileFormatError(
			`ZIP archive must contain exactly one .csv, .xlsx or .xls file (found: ${found})`,
		);
	}
	const [entry] = candidates;
	if (entry.originalSize > MAX_UNZIPPED_BYTES) {
		throw new FileFormatError(`ZIP entry ${entry.name} is too large when uncompressed (maximum ${MAX_UNZIPPED_BYTES} bytes)`);
	}
	let content: Uint8Array | undefined;
	try {
		content = unzipSync(bytes, { filter: (info) => info.name === entry.name })[entry.name];
	} catch (error) {
		const detail = error instanceof Error ? error.message : String(error);
		throw new FileFormatError(`Could not read ZIP archive: ${detail}`);
	}
	if (content === undefined) throw new FileFormatError(`Could not read ZIP archive: ${entry.name} is missing`);
	return readRows(content, fileKindOf(entry.name) as DataFileKind);
}
