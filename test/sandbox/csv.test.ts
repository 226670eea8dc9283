/**
 * Unit tests of the RFC 4180 parser and the file-to-rows readers.
 */
import * as XLSX from 'xlsx';
import { parseCsv, CsvError } from '../../sandbox/csv';
import { extensionOf, fileKindOf, readRows, FileFormatError } from '../../sandbox/fileFormats';
import { isIdLabel } from '../../sandbox/fileImport';
import { workbook, zip } from './helpers';

describe('parseCsv', () => {
	it.each([
		['', []],
		['a', [['a']]],
		['a\n', [['a']]],
		['a,b\r\nc,d\r\n', [['a', 'b'], ['c', 'd']]],
		['a,b\rc,d', [['a', 'b'], ['c', 'd']]],
		['a,,c\n', [['a', '', 'c']]],
		['a,\n', [['a', '']]],
		['\n\n', [[''], ['']]],
		['"a,b",c', [['a,b', 'c']]],
		['"say ""hi""",x', [['say "hi"', 'x']]],
		['"line1\r\nline2",x\r\ny', [['line1\r\nline2', 'x'], ['y']]],
		['"",""\n', [['', '']]],
		['"""",x', [['"', 'x']]],
		['ab"c,d', [['ab"c', 'd']]],
		['\uFEFFid\n1\n', [['id'], ['1']]],
		[' a , b ', [[' a ', ' b ']]],
	])('%j', (input, expected) => {
		expect(parseCsv(input)).toEqual(expected);
	});

	it('reports an unterminated quote with its starting line', () => {
		expect(() => parseCsv('a\nb\n"c\nd')).toThrow(new CsvError('Malformed CSV: unterminated quoted field starting on line 3'));
	});

	it('reports text after a closing quote with its line (counting quoted line breaks)', () => {
		expect(() => parseCsv('"x\ny"z')).toThrow(new CsvError('Malformed CSV: unexpected character after a closing quote on line 2'));
	});

	it('parses a large file quickly', () => {
		const text = Array.from({ length: 200_000 }, (_, i) => `user${i},"v ${i}"`).join('\r\n');
		const rows = parseCsv(text);
		expect(rows).toHaveLength(200_000);
		expect(rows[199_999]).toEqual(['user199999', 'v 199999']);
	});
});

describe('file kinds', () => {
	it.each([
		['a.csv', '.csv', 'csv'],
		['A.XLSX', '.xlsx', 'xlsx'],
		['dir/b.xls', '.xls', 'xls'],
		['c.zip', '.zip', 'zip'],
		['d.txt', '.txt', null],
		['.csv', '', null],
		['noext', '', null],
		['e.csv.gz', '.gz', null],
	])('%s', (name, extension, kind) => {
		expect(extensionOf(name)).toBe(extension);
		expect(fileKindOf(name)).toBe(kind);
	});
});

describe('readRows', () => {
	it('reads the first sheet of a workbook only', () => {
		const book = XLSX.utils.book_new();
		XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['id'], ['first']]), 'One');
		XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['id'], ['second']]), 'Two');
		const bytes = new Uint8Array(XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
		expect(readRows(bytes, 'xlsx')).toEqual([['id'], ['first']]);
	});

	it('keeps empty cells in the middle of a sheet row', () => {
		expect(readRows(workbook([['id', 'a', 'b'], ['1', '', 'x']], 'xlsx'), 'xlsx')).toEqual([['id', 'a', 'b'], ['1', '', 'x']]);
	});

	it('refuses a ZIP nested in a ZIP', () => {
		expect(() => readRows(zip({ 'inner.zip': zip({ 'a.csv': 'a\n' }) }), 'zip')).toThrow(FileFormatError);
	});

	it('refuses an XLS that is not a workbook', () => {
		expect(() => readRows(new TextEncoder().encode('a,b\n'), 'xls')).toThrow('Could not read XLS file: not an Excel workbook');
	});
});

describe('isIdLabel', () => {
	it.each(['user_id', 'userId', 'USER ID', 'user-id', 'id', 'Id', 'uid', 'ticketing_id', 'Customer ID'])('%j is an ID label', (cell) => {
		expect(isIdLabel(cell)).toBe(true);
	});
	it.each(['12345', 'abc123', 'sth', 'identity', ''])('%j is not', (cell) => {
		expect(isIdLabel(cell)).toBe(false);
	});
});
