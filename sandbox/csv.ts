/**
 * RFC 4180 CSV parsing: comma separator, double-quoted fields with "" escapes, commas and line
 * breaks inside quotes, CRLF / LF / CR row ends, optional UTF-8 BOM.
 * Lenient on one point: a quote inside an unquoted field is kept literally.
 * Strict on two: an unterminated quoted field, and text after a closing quote, are errors.
 */

export class CsvError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'CsvError';
	}
}

const FIELD_END = /[,\r\n]/g;

export function parseCsv(input: string): string[][] {
	const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
	const length = text.length;
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let line = 1;
	let i = 0;

	while (i < length) {
		const ch = text[i];
		if (ch === ',') {
			row.push(field);
			field = '';
			i += 1;
		} else if (ch === '\r' || ch === '\n') {
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
			i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
			line += 1;
		} else if (ch === '"' && field === '') {
			const startLine = line;
			let start = i + 1;
			let closed = false;
			i = start;
			for (;;) {
				const quote = text.indexOf('"', i);
				if (quote === -1) break;
				if (text[quote + 1] === '"') {
					field += text.slice(start, quote + 1);
					i = quote + 2;
					start = i;
					continue;
				}
				field += text.slice(start, quote);
				i = quote + 1;
				closed = true;
				break;
			}
			if (!closed) throw new CsvError(`Malformed CSV: unterminated quoted field starting on line ${startLine}`);
			line += field.split('\n').length - 1;
			if (i < length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
				throw new CsvError(`Malformed CSV: unexpected character after a closing quote on line ${line}`);
			}
		} else {
			FIELD_END.lastIndex = i;
			const match = FIELD_END.exec(text);
			const end = match ? match.index : length;
			field += text.slice(i, end);
			i = end;
		}
	}
	// The last row, unless the text ended with a line break (or was empty).
	if (length > 0 && text[length - 1] !== '\n' && text[length - 1] !== '\r') {
		row.push(field);
		rows.push(row);
	}
	return rows;
}
