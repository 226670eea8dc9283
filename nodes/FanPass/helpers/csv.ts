/** Quotes a CSV cell when it holds a comma, a quote, a line break or edge spaces (RFC 4180). */
export function csvCell(value: string): string {
	return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The rows of a generated segment file: one per user ID, in order, with the same values for many IDs. */
export interface CsvRows {
	header: readonly string[];
	/** Iterated more than once (for the size, then for the bytes): a Set, or a wrapper of a Map's keys(). */
	ids: Iterable<string>;
	/** The row's further cells; IDs of one item share one array, which is escaped once. */
	valuesOf?: (id: string) => readonly string[];
}

/**
 * The CSV's lines, without their CRLF: the header, then one per ID. A line is the ID itself when it
 * needs no quoting and has no further cells, so a million IDs allocate no string of their own.
 */
export function* csvLines(rows: CsvRows): Generator<string> {
	yield rows.header.map(csvCell).join(',');
	let lastValues: readonly string[] | undefined;
	let tail = '';
	for (const id of rows.ids) {
		if (!rows.valuesOf) {
			yield csvCell(id);
			continue;
		}
		const values = rows.valuesOf(id);
		if (values !== lastValues) {
			lastValues = values;
			tail = '';
			for (const value of values) tail += ',' + csvCell(value);
		}
		yield csvCell(id) + tail;
	}
}

/** 4,096 lines of twelve-digit IDs are 57 kB: under V8's large-object size, so a spent chunk is collected young. */
const LINES_PER_CHUNK = 4096;

/** The CSV text in chunks of whole lines (CRLF after every line), for the zip's stream. */
export function* csvChunks(rows: CsvRows): Generator<string> {
	const lines: string[] = [];
	for (const line of csvLines(rows)) {
		lines.push(line);
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
	for (const line of csvLines(rows)) bytes += Buffer.byteLength(line, 'utf8') + 2;
	return bytes;
}

/**
 * Writes the CSV of `byteLength` bytes (from csvByteLength) into target at offset, line by line,
 * straight into the body: no chunk of text is built on the way.
 */
export function writeCsv(rows: CsvRows, byteLength: number, target: Buffer, offset: number): void {
	const end = offset + byteLength;
	let at = offset;
	for (const line of csvLines(rows)) {
		const written = target.write(line, at, end - at, 'utf8');
		// UTF-8 takes at least one byte per UTF-16 unit: fewer means the line did not fit
		if (written < line.length || at + written + 2 > end) throw changedWhileWritten(at + written - offset, byteLength);
		at += written;
		target[at++] = 0x0d;
		target[at++] = 0x0a;
	}
	if (at !== end) throw changedWhileWritten(at - offset, byteLength);
}

const changedWhileWritten = (written: number, byteLength: number) =>
	new Error(`the CSV changed while it was written (${written} of ${byteLength} bytes)`);

/** The CSV as a file written straight into the request body: it never has a buffer of its own. */
export function csvFileData(rows: CsvRows, byteLength: number) {
	let start = '';
	for (const line of csvLines(rows)) {
		start += line + '\r\n';
		// 17 UTF-16 units make at least 16 whole bytes: a surrogate pair cut at the end cannot reach them
		if (start.length >= 17) break;
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
