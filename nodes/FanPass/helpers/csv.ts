/** What the regular expression `\s` matches, by UTF-16 unit. */
function isSpace(code: number): boolean {
	if (code <= 32) return code === 32 || (code >= 9 && code <= 13);
	if (code < 160) return false;
	return (
		code === 160 || code === 5760 || (code >= 8192 && code <= 8202) || code === 8232 || code === 8233 ||
		code === 8239 || code === 8287 || code === 12288 || code === 65279
	);
}

/** Whether a cell holds a comma, a quote or a line break, or starts or ends with a space (RFC 4180). */
function needsQuotes(value: string): boolean {
	if (value.length === 0) return false;
	if (isSpace(value.charCodeAt(0)) || isSpace(value.charCodeAt(value.length - 1))) return true;
	for (let i = 0; i < value.length; i++) {
		const code = value.charCodeAt(i);
		if (code === 34 || code === 44 || code === 10 || code === 13) return true;
	}
	return false;
}

/**
 * Quotes a CSV cell when it needs it (RFC 4180). Scanned by character code: a regular expression
 * here allocated on every call, 13 MB of garbage for a million IDs.
 */
export function csvCell(value: string): string {
	return needsQuotes(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** IDs read in order more than once: a Set, UniqueIds, or a wrapper of a Map's keys. */
export interface CsvIds extends Iterable<string> {
	/** The fast way through, without an iterator result per ID. */
	forEach(visit: (id: string) => void): void;
}

/** The rows of a generated segment file: one per user ID, in order, with the same values for many IDs. */
export interface CsvRows {
	header: readonly string[];
	/** Read more than once (for the size, then for the bytes). */
	ids: CsvIds;
	/** The row's further cells; IDs of one item share one array, which is escaped once. */
	valuesOf?: (id: string) => readonly string[];
}

const headerLine = (rows: CsvRows) => rows.header.map(csvCell).join(',');

/**
 * The line of each ID, without its CRLF. A line is the ID itself when it needs no quoting and has no
 * further cells, so a million IDs allocate no string of their own.
 */
function lineEncoder(rows: CsvRows): (id: string) => string {
	const { valuesOf } = rows;
	if (!valuesOf) return csvCell;
	let lastValues: readonly string[] | undefined;
	let tail = '';
	return (id) => {
		const values = valuesOf(id);
		if (values !== lastValues) {
			lastValues = values;
			tail = '';
			for (const value of values) tail += ',' + csvCell(value);
		}
		return csvCell(id) + tail;
	};
}

/** Calls `visit` with each line of the CSV, without its CRLF: the header, then one per ID. */
function forEachCsvLine(rows: CsvRows, visit: (line: string) => void): void {
	visit(headerLine(rows));
	const line = lineEncoder(rows);
	rows.ids.forEach((id) => visit(line(id)));
}

/** 4,096 lines of twelve-digit IDs are 57 kB: under V8's large-object size, so a spent chunk is collected young. */
const LINES_PER_CHUNK = 4096;

/** The CSV text in chunks of whole lines (CRLF after every line), for the zip's stream. */
export function* csvChunks(rows: CsvRows): Generator<string> {
	const line = lineEncoder(rows);
	const lines: string[] = [headerLine(rows)];
	for (const id of rows.ids) {
		lines.push(line(id));
		if (lines.length === LINES_PER_CHUNK) {
			lines.push('');
			yield lines.join('\r\n');
			lines.length = 0;
		}
	}
	if (lines.length > 0) {
		lines.push('');
		yield lines.join('\r\n');
	}
}

/** The UTF-8 size of the CSV, without keeping its text. */
export function csvByteLength(rows: CsvRows): number {
	let bytes = 0;
	forEachCsvLine(rows, (line) => (bytes += Buffer.byteLength(line, 'utf8') + 2));
	return bytes;
}

/**
 * Writes the CSV of `byteLength` bytes (from csvByteLength) into target at offset, line by line,
 * straight into the body: no chunk of text is built on the way.
 */
export function writeCsv(rows: CsvRows, byteLength: number, target: Buffer, offset: number): void {
	const end = offset + byteLength;
	let at = offset;
	forEachCsvLine(rows, (line) => {
		const room = end - at;
		const written = target.write(line, at, room, 'utf8');
		// a line cannot be cut where the room holds its most bytes (3 per UTF-16 unit) and the CRLF, so
		// only near the end is its byte length worth counting
		const cut = room < line.length * 3 + 2 && (written + 2 > room || written !== Buffer.byteLength(line, 'utf8'));
		if (cut) throw changedWhileWritten(at + written - offset, byteLength);
		at += written;
		target[at++] = 0x0d;
		target[at++] = 0x0a;
	});
	if (at !== end) throw changedWhileWritten(at - offset, byteLength);
}

const changedWhileWritten = (written: number, byteLength: number) =>
	new Error(`the CSV changed while it was written (${written} of ${byteLength} bytes)`);

/** The CSV as a file written straight into the request body: it never has a buffer of its own. */
export function csvFileData(rows: CsvRows, byteLength: number) {
	// 17 UTF-16 units make at least 16 whole bytes: a surrogate pair cut at the end cannot reach them
	let start = headerLine(rows) + '\r\n';
	const line = lineEncoder(rows);
	for (const id of rows.ids) {
		if (start.length >= 17) break;
		start += line(id) + '\r\n';
	}
	return {
		byteLength,
		head: Buffer.from(start.slice(0, 17), 'utf8').subarray(0, 16),
		writeInto: (target: Buffer, offset: number) => writeCsv(rows, byteLength, target, offset),
	};
}

/** Parses CSV text (RFC 4180: quoted cells, doubled quotes, line breaks inside quotes, CRLF). */
export function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let quoted = false;
	const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	for (let i = 0; i < source.length; i++) {
		const char = source[i];
		if (quoted) {
			if (char === '"' && source[i + 1] === '"') {
				cell += '"';
				i++;
			} else if (char === '"') quoted = false;
			else cell += char;
		} else if (char === '"' && cell === '') quoted = true;
		else if (char === ',') {
			row.push(cell);
			cell = '';
		} else if (char === '\n' || char === '\r') {
			if (char === '\r' && source[i + 1] === '\n') i++;
			row.push(cell);
			rows.push(row);
			row = [];
			cell = '';
		} else cell += char;
	}
	if (cell !== '' || row.length > 0) {
		row.push(cell);
		rows.push(row);
	}
	return rows;
}
