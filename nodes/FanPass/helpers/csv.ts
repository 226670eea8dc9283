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

/** 4,096 lines of twelve-digit IDs are 57 kB: under V8's large-object size, so a spent chunk is collected young. */
const LINES_PER_CHUNK = 4096;

/**
 * The CSV text of `rows` in chunks of whole lines (CRLF after every line): escaped in place and
 * joined once per chunk, without an array per row, so a million IDs never exist as a million rows.
 */
export function* csvChunks(rows: CsvRows): Generator<string> {
	const lines: string[] = [rows.header.map(csvCell).join(',')];
	let lastValues: readonly string[] | undefined;
	let tail = '';
	for (const id of rows.ids) {
		if (rows.valuesOf) {
			const values = rows.valuesOf(id);
			if (values !== lastValues) {
				lastValues = values;
				tail = '';
				for (const value of values) tail += ',' + csvCell(value);
			}
			lines.push(csvCell(id) + tail);
		} else lines.push(csvCell(id));
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
	for (const chunk of csvChunks(rows)) bytes += Buffer.byteLength(chunk, 'utf8');
	return bytes;
}

/** Writes the CSV of `byteLength` bytes (from csvByteLength) into target at offset, chunk by chunk. */
export function writeCsv(rows: CsvRows, byteLength: number, target: Buffer, offset: number): void {
	let at = offset;
	for (const chunk of csvChunks(rows)) at += target.write(chunk, at, 'utf8');
	if (at - offset !== byteLength) throw new Error(`the CSV changed while it was written (${at - offset} of ${byteLength} bytes)`);
}

/** The CSV as a file written straight into the request body: it never has a buffer of its own. */
export function csvFileData(rows: CsvRows, byteLength: number) {
	const first = csvChunks(rows).next();
	return {
		byteLength,
		// 17 UTF-16 units make at least 16 whole bytes: a surrogate pair cut at the end cannot reach them
		head: Buffer.from(first.done ? '' : first.value.slice(0, 17), 'utf8').subarray(0, 16),
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
