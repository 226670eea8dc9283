import type { IDataObject } from 'n8n-workflow';

import type { SandboxHandle } from '../../sandbox/server';
import type { InputItem, RunNodeResult } from '../harness';
import { items, runFanPass, startTestSandbox, updateParameters, upsertParameters } from './fixtures';

/**
 * Bad input across every action, as a table. Each row that is an error is run twice:
 * - stopping on error: the node fails with a message that names the item (and the field or
 *   value), and the sandbox received exactly the requests listed (usually none);
 * - with continueOnFail: no crash, the bad item becomes an error item paired to it, and the
 *   good items around it still arrive.
 * Rows with `behaviour` document what happens to input that is odd but usable.
 */

const upsert = upsertParameters;
const list = (userIdList: string): IDataObject => upsert({ userIdSource: 'list', userIdList, tag: 'fans' });
const upload = (overrides: IDataObject = {}): IDataObject => ({
	resource: 'segment',
	operation: 'uploadFile',
	title: 'Fans',
	tag: '={{ $json.tag ?? "fans" }}',
	sourceType: 0,
	fileSource: 'binary',
	binaryPropertyName: 'data',
	simplify: false,
	options: {},
	...overrides,
});
const csvFromItems = (overrides: IDataObject = {}): IDataObject =>
	upload({ fileSource: 'items', csvUserId: '={{ $json.user_id }}', ...overrides });
const waitFor = (importId: string): IDataObject => ({
	resource: 'segment',
	operation: 'waitForImport',
	importId,
	options: { pollInterval: 0.05, maxWait: 2 },
});
const status = (importId: string): IDataObject => ({ resource: 'segment', operation: 'getImportStatus', importId });
const update = updateParameters;

const file = (fileName: string, data: Buffer | string, mimeType: string, json: IDataObject = {}): InputItem => ({
	json,
	binary: [{ property: 'data', fileName, mimeType, data: Buffer.isBuffer(data) ? data : Buffer.from(data) }],
});
const goodCsv = (tag: string) => file(`${tag}.csv`, 'user_id\n1\n2\n', 'text/csv', { tag });

interface Row {
	name: string;
	parameters: IDataObject;
	items: InputItem[];
	/** Substrings of the error message; the first names the item. */
	error?: string[];
	/** The bad item (for the paired error item); default: the last item. */
	badItem?: number;
	/** Requests the sandbox must have received when the node stops on the error (default 0). */
	requests?: number;
	/** Requests with continueOnFail: the good items' (default 1 when there are other items, else 0). */
	requestsWhenContinuing?: number;
	behaviour?: (result: RunNodeResult, sandbox: SandboxHandle) => void;
}

const ok = { user_id: 'good1', tag: 'goodTag', props: { sth: true } };

const rows: Row[] = [
	// ---- Upsert Segment: tags
	{ name: 'a tag with a space', parameters: upsert(), items: items(ok, { user_id: '2', tag: 'vip fans' }), error: ['Item 1', 'segment tag "vip fans" contains a space'] },
	{ name: 'a tag with a hyphen', parameters: upsert(), items: items(ok, { user_id: '2', tag: 'vip-fans' }), error: ['Item 1', 'letters and digits only'] },
	{ name: 'a tag with an accented letter', parameters: upsert(), items: items(ok, { user_id: '2', tag: 'fänclub' }), error: ['Item 1', 'letters and digits only'] },
	{ name: 'a tag with an emoji', parameters: upsert(), items: items(ok, { user_id: '2', tag: '⚽fans' }), error: ['Item 1', 'letters and digits only'] },
	{ name: 'an empty tag', parameters: upsert(), items: items(ok, { user_id: '2', tag: '' }), error: ['Item 1', 'empty'] },
	{ name: 'a tag of spaces only', parameters: upsert(), items: items(ok, { user_id: '2', tag: '   ' }), error: ['Item 1', 'tag'] },
	{ name: 'a tag that is an object', parameters: upsert(), items: items(ok, { user_id: '2', tag: { a: 1 } }), error: ['Item 1', 'tag'] },
	// ---- Upsert Segment: titles, source types
	{ name: 'an empty title', parameters: upsert({ title: '={{ $json.title }}' }), items: items({ ...ok, title: 'Good' }, { user_id: '2', tag: 'other', title: '' }), error: ['Item 1', 'title'] },
	{ name: 'two titles for one tag', parameters: upsert({ title: '={{ $json.title }}' }), items: items({ user_id: '1', title: 'A' }, { user_id: '2', title: 'B' }), error: ['Item 1', 'title'], requestsWhenContinuing: 1 },
	{ name: 'a source type outside 0-4', parameters: upsert({ sourceType: 7 }), items: items(ok), error: ['Item 0', 'Source Type is 7', 'one of 0-4'], badItem: 0 },
	{ name: 'a source type that is text', parameters: upsert({ sourceType: '={{ "ticketing" }}' }), items: items(ok), error: ['Item 0', 'Source Type is "ticketing"'], badItem: 0 },
	// ---- Upsert Segment: IDs
	{ name: 'a null ID as the only ID', parameters: upsert(), items: items({ user_id: null }), error: ['has no user IDs'], badItem: 0 },
	{ name: 'only empty IDs', parameters: upsert(), items: items({ user_id: '' }, { user_id: '  ' }), error: ['has no user IDs', '2 empty values'], requestsWhenContinuing: 0 },
	{ name: 'an ID that is an object', parameters: upsert(), items: items(ok, { user_id: { id: 1 } }), error: ['Item 1', 'the user ID is an object'] },
	{ name: 'an ID that is a boolean', parameters: upsert(), items: items(ok, { user_id: false }), error: ['Item 1', 'the user ID is the boolean false'] },
	{ name: 'an ID that is a number too large to be exact', parameters: upsert(), items: items(ok, { user_id: 2 ** 60 }), error: ['Item 1', 'too large to be exact'] },
	{ name: 'an ID nested in a list that holds an object', parameters: upsert(), items: items(ok, { user_id: ['1', [{}]] }), error: ['Item 1', 'the user ID at [1][0] is an object'] },
	{ name: 'a list of separators only', parameters: list(',, \n,\r\n'), items: items({}), error: ['has no user IDs'], badItem: 0 },
	{
		name: 'an ID expression that finds nothing for one item (documented: n8n yields empty, the output names the item)',
		parameters: upsert({ userId: '={{ $json.customer.id.trim() }}' }),
		items: items({ customer: { id: 'a' } }, { user_id: '2' }),
		behaviour: (result, sandbox) => {
			expect(sandbox.state.segments.get('fans')?.userIds).toEqual(['a']);
			expect(result.output[0].json).toMatchObject({ emptyRemoved: 1, itemsWithoutIds: [1] });
			expect(result.output[0].json.warnings).toEqual(['item 1 gave no user ID (an empty value, or an expression that found nothing), so added nobody to segment "fans"']);
		},
	},
	{ name: 'an ID expression with a syntax error', parameters: upsert({ userId: '={{ $json.user_id + }}' }), items: items(ok), error: ['Item 0: the User ID expression failed'], badItem: 0, requestsWhenContinuing: 0 },
	{ name: 'a tag expression with a syntax error', parameters: upsert({ tag: '={{ $json.tag ) }}' }), items: items(ok), error: ['Item 0: the Segment Tag expression failed'], badItem: 0, requestsWhenContinuing: 0 },
	{
		name: 'numbers as IDs (documented: sent as text)',
		parameters: upsert(),
		items: items({ user_id: 1001 }, { user_id: 1002.0 }, { user_id: '1003' }),
		behaviour: (result, sandbox) => {
			expect(result.error).toBeUndefined();
			expect(sandbox.state.segments.get('fans')?.userIds).toEqual(['1001', '1002', '1003']);
		},
	},
	{
		name: '100,000 duplicates of one ID (documented: one request with one ID)',
		parameters: list(Array(100_000).fill('fan7').join(',')),
		items: items({}),
		behaviour: (result, sandbox) => {
			expect(result.error).toBeUndefined();
			expect(sandbox.state.requests).toHaveLength(1);
			expect(sandbox.state.segments.get('fans')?.userIds).toEqual(['fan7']);
			expect(result.output[0].json).toMatchObject({ userCount: 1, idsReceived: 100_000, duplicatesRemoved: 99_999 });
		},
	},
	// ---- Upload Segment File
	{ name: 'a file of 10 MB + 1 byte', parameters: upload(), items: [goodCsv('goodTag'), file('big.csv', Buffer.alloc(10 * 1024 * 1024 + 1, 0x31), 'text/csv')], error: ['Item 1', 'the file "big.csv"', 'at most 10 MB'] },
	{ name: 'a .txt file', parameters: upload(), items: [goodCsv('goodTag'), file('fans.txt', '1\n2\n', 'text/plain')], error: ['Item 1', 'is a .txt file'] },
	{ name: 'an .exe file', parameters: upload(), items: [goodCsv('goodTag'), file('fans.exe', 'MZ', 'application/octet-stream')], error: ['Item 1', 'is a .exe file'] },
	{ name: 'a file with no extension and a text MIME type', parameters: upload(), items: [goodCsv('goodTag'), file('fans', '1\n', 'text/plain')], error: ['Item 1', 'the file "fans"'] },
	{ name: 'an empty file', parameters: upload(), items: [goodCsv('goodTag'), file('empty.csv', Buffer.alloc(0), 'text/csv')], error: ['Item 1', 'is empty'] },
	// file signatures: the bytes must be what the extension says
	{ name: 'an .xlsx that is CSV text', parameters: upload(), items: [goodCsv('goodTag'), file('fans.xlsx', 'user_id\n1\n', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')], error: ['Item 1', 'the file "fans.xlsx" is not what its extension says', '.xlsx says an Excel workbook', 'the file is text ("user_id 1 ")'] },
	{ name: 'a .zip that is gzip', parameters: upload(), items: [goodCsv('goodTag'), file('fans.zip', Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]), 'application/zip')], error: ['Item 1', 'the file "fans.zip"', '.zip says a ZIP archive', 'a gzip archive', '1F 8B 08 00'] },
	{ name: 'an .xls that is an HTML table', parameters: upload(), items: [goodCsv('goodTag'), file('fans.xls', '<html><table><tr><td>1</td></tr></table></html>', 'application/vnd.ms-excel')], error: ['Item 1', 'the file "fans.xls"', 'OLE signature D0 CF 11 E0 A1 B1 1A E1', 'HTML or XML text'] },
	{ name: 'an .xls that is really an .xlsx', parameters: upload(), items: [goodCsv('goodTag'), file('fans.xls', Buffer.from('PK\x03\x04rest-of-a-workbook', 'latin1'), 'application/vnd.ms-excel')], error: ['Item 1', 'the file "fans.xls"', 'a ZIP archive (PK)', '50 4B 03 04'] },
	{ name: 'an .xlsx that is an empty zip', parameters: upload(), items: [goodCsv('goodTag'), file('fans.xlsx', Buffer.from('PK\x05\x06' + '\0'.repeat(18), 'latin1'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')], error: ['Item 1', 'the file "fans.xlsx"', 'starting with PK 03 04'] },
	{ name: 'a .csv that is a zip', parameters: upload(), items: [goodCsv('goodTag'), file('fans.csv', Buffer.from('PK\x03\x04\x14\0\0\0', 'latin1'), 'text/csv')], error: ['Item 1', 'the file "fans.csv"', '.csv says UTF-8 text', 'a ZIP archive'] },
	{ name: 'a UTF-16 .csv', parameters: upload(), items: [goodCsv('goodTag'), file('fans.csv', Buffer.from('\ufeffuser_id\n1\n', 'utf16le'), 'text/csv')], error: ['Item 1', 'the file "fans.csv"', 'UTF-16 text (byte order mark FF FE)'] },
	{ name: 'a Windows-1252 .csv', parameters: upload(), items: [goodCsv('goodTag'), file('fans.csv', Buffer.from('user_id,name\n1,Jos\xe9\n', 'latin1'), 'text/csv')], error: ['Item 1', 'the file "fans.csv"', 'a byte that is not UTF-8 at offset 18 (0xE9)'] },
	{ name: 'a .csv with a NUL byte', parameters: upload(), items: [goodCsv('goodTag'), file('fans.csv', Buffer.from('user_id\n1\0\n', 'latin1'), 'text/csv')], error: ['Item 1', 'the file "fans.csv"', 'a NUL byte at offset 9'] },
	{ name: 'a generated CSV named .xlsx', parameters: csvFromItems({ options: { fileName: 'fans.xlsx' } }), items: items(ok), error: ['Item 0', 'the file name "fans.xlsx" does not end in .csv'], badItem: 0 },
	{
		name: 'a file name with spaces around it and a UTF-8 BOM (documented: trimmed, sent)',
		parameters: upload(),
		items: [file('  fans.csv \t', Buffer.from('\ufeffuser_id\nJosé\n', 'utf8'), 'text/csv')],
		behaviour: (result, sandbox) => {
			expect(result.error).toBeUndefined();
			expect(sandbox.state.requests[0].multipart?.file?.fileName).toBe('fans.csv');
			expect(sandbox.state.segments.get('fans')?.userIds).toEqual(['José']);
		},
	},
	{ name: 'a missing binary property', parameters: upload({ binaryPropertyName: 'file' }), items: [file('a.csv', '1\n', 'text/csv')], error: ['Item 0', 'there is no binary property "file"'], badItem: 0 },
	{ name: 'an item with no binary data at all', parameters: upload(), items: [goodCsv('goodTag'), { json: { tag: 'x' } }], error: ['Item 1', 'binary'] },
	{ name: 'two files for one tag', parameters: upload(), items: [goodCsv('fans'), goodCsv('fans')], error: ['Item 1', 'second file for segment "fans"'] },
	{ name: 'a bad tag on a file', parameters: upload(), items: [goodCsv('goodTag'), file('b.csv', '1\n', 'text/csv', { tag: 'bad tag' })], error: ['Item 1', 'contains a space'] },
	{ name: 'a CSV built from items with an object as ID', parameters: csvFromItems(), items: items(ok, { user_id: { a: 1 } }), error: ['Item 1', 'object'] },
	{
		name: 'a CSV built from items with empty IDs (documented: rows dropped and counted)',
		parameters: csvFromItems(),
		items: items({ user_id: 'a1' }, { user_id: '' }, { user_id: null }),
		behaviour: (result, sandbox) => {
			expect(result.error).toBeUndefined();
			expect(sandbox.state.requests[0].multipart?.file?.bytes.toString('utf8')).toBe('user_id\r\na1\r\n');
			expect(JSON.stringify(result.output[0].json)).toMatch(/empty/i);
		},
	},
	{ name: 'a CSV column name of 25 characters', parameters: csvFromItems({ csvColumns: { column: [{ name: 'a_property_name_of_25_chr', value: 'gold' }] } }), items: items(ok), error: ['Item 0', 'Attribute Columns: column "a_property_name_of_25_chr" has 25 characters'], badItem: 0 },
	{ name: 'a CSV column named user_id', parameters: csvFromItems({ csvColumns: { column: [{ name: 'user_id', value: 'x' }] } }), items: items(ok), error: ['Item 0', 'column "user_id" is the User ID column already'], badItem: 0 },
	{ name: 'a CSV column with no name', parameters: csvFromItems({ csvColumns: { column: [{ name: ' ', value: 'x' }] } }), items: items(ok), error: ['Item 0', 'a column has no name'], badItem: 0 },
	// ---- Wait for Import / Get Import Status
	{ name: 'an import id that is text', parameters: waitFor('={{ $json.importId }}'), items: items({ importId: 7 }, { importId: 'abc' }), error: ['Item 1', '"abc"'], requestsWhenContinuing: 1 },
	{ name: 'an import id expression with a syntax error', parameters: status('={{ $json.importId * }}'), items: items({ importId: 1 }), error: ['Item 0: the Import ID expression failed'], badItem: 0 },
	{ name: 'an empty import id', parameters: waitFor('={{ $json.importId }}'), items: items({ importId: '' }), error: ['Item 0', 'import'], badItem: 0 },
	{ name: 'a negative import id', parameters: status('={{ $json.importId }}'), items: items({ importId: -5 }), error: ['Item 0', '-5'], badItem: 0 },
	{ name: 'a fractional import id', parameters: status('={{ $json.importId }}'), items: items({ importId: 1.5 }), error: ['Item 0', '1.5'], badItem: 0 },
	{ name: 'an import id that is an object', parameters: status('={{ $json.importId }}'), items: items({ importId: { id: 3 } }), error: ['Item 0', 'import'], badItem: 0 },
	{ name: 'an unknown import id (FanPass answers 400)', parameters: status('999999'), items: items({}), error: ['FanPass rejected the request'], badItem: 0, requests: 1, requestsWhenContinuing: 1 },
	// ---- Update User
	{ name: 'a property name of 25 characters', parameters: update(), items: items(ok, { user_id: '2', props: { a_property_name_of_25_chr: 'x' } }), error: ['Item 1', 'property "a_property_name_of_25_chr"', '25 characters'] },
	{ name: 'a reserved property name', parameters: update(), items: items(ok, { user_id: '2', props: { user_id: '9' } }), error: ['Item 1', 'property "user_id"', 'reserved'] },
	{ name: 'a nested object value', parameters: update(), items: items(ok, { user_id: '2', props: { address: { city: 'Leeds' } } }), error: ['Item 1', 'property "address"', 'nested object'] },
	{ name: 'a list value', parameters: update(), items: items(ok, { user_id: '2', props: { tags: ['a', 'b'] } }), error: ['Item 1', 'property "tags"', 'is a list'] },
	{ name: 'a null value', parameters: update(), items: items(ok, { user_id: '2', props: { sth: null } }), error: ['Item 1', 'property "sth"', 'has no value'] },
	{ name: 'no properties', parameters: update(), items: items(ok, { user_id: '2', props: {} }), error: ['Item 1', 'no properties to send'] },
	{ name: 'invalid JSON', parameters: update({ propertiesJson: '={{ $json.raw }}' }), items: items({ user_id: '1', raw: '{"sth": true}' }, { user_id: '2', raw: '{"sth": ' }), error: ['Item 1', 'Properties (JSON) is not valid JSON'] },
	{ name: 'a properties expression with a syntax error', parameters: update({ propertiesJson: '={{ { "sth": }} }}' }), items: items({ user_id: '1' }), error: ['Item 0: the Properties (JSON) expression failed'], badItem: 0 },
	{ name: 'JSON that is a list', parameters: update({ propertiesJson: '[1, 2]' }), items: items({ user_id: '1' }), error: ['Item 0', 'object'], badItem: 0 },
	{ name: 'an empty user ID', parameters: update(), items: items(ok, { user_id: ' ', props: { sth: 1 } }), error: ['Item 1', 'the User ID is empty'] },
	{ name: 'a user ID that is an object', parameters: update(), items: items(ok, { user_id: { id: 1 }, props: { sth: 1 } }), error: ['Item 1', 'object'] },
	{ name: 'a value over 36 characters when told to refuse', parameters: update({ options: { longValues: 'error' } }), items: items(ok, { user_id: '2', props: { favorite_team: 'y'.repeat(37) } }), error: ['Item 1', 'property "favorite_team"', '37 characters'] },
	{ name: 'a property expression that throws', parameters: update({ propertiesJson: '={{ JSON.stringify({ sth: $json.profile.tier }) }}' }), items: items({ user_id: '1', profile: { tier: 'a' } }, { user_id: '2' }), error: ['tier'] },
	{
		name: 'a value over 36 characters by default (documented: sent, FanPass truncates, the item warns)',
		parameters: update(),
		items: items({ user_id: '1', props: { favorite_team: 'z'.repeat(40) } }),
		behaviour: (result, sandbox) => {
			expect(result.error).toBeUndefined();
			expect(sandbox.state.users.get('1')?.user_properties.favorite_team).toBe('z'.repeat(36));
			expect(JSON.stringify(result.output[0].json.warnings)).toContain('40 characters');
		},
	},
];

describe('bad input, every action: a clear error naming the item, and nothing sent that should not be', () => {
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startTestSandbox();
	});
	afterAll(async () => await sandbox.close());
	beforeEach(() => sandbox.reset());

	it('has at least 40 rows', () => expect(rows.length).toBeGreaterThanOrEqual(40));

	const errorRows = rows.filter((row) => row.error);
	it.each(errorRows.map((row) => [row.name, row] as const))('%s: stops with a clear error', async (_, row) => {
		const result = await runFanPass(sandbox, { parameters: row.parameters, items: row.items });
		expect(result.status).toBe('error');
		for (const part of row.error ?? []) expect(result.error?.message).toContain(part);
		expect(sandbox.state.requests).toHaveLength(row.requests ?? 0);
	});

	it.each(errorRows.map((row) => [row.name, row] as const))('%s: with continueOnFail, an error item for it and the rest sent', async (_, row) => {
		const result = await runFanPass(sandbox, { parameters: row.parameters, items: row.items, continueOnFail: true });
		expect(result.error).toBeUndefined();
		const bad = row.badItem ?? row.items.length - 1;
		const pairedTo = (item: (typeof result.output)[number]) => [item.pairedItem].flat().map((pair) => (pair as { item: number }).item);
		const errorItem = result.output.find((item) => item.json.error !== undefined && pairedTo(item).includes(bad));
		expect(errorItem).toBeDefined();
		for (const part of row.error ?? []) expect(String(errorItem?.json.error)).toContain(part);
		const expected = row.requestsWhenContinuing ?? (row.items.length > 1 ? 1 : 0);
		expect(sandbox.state.requests).toHaveLength(expected);
	});

	it.each(rows.filter((row) => row.behaviour).map((row) => [row.name, row] as const))('%s', async (_, row) => {
		const result = await runFanPass(sandbox, { parameters: row.parameters, items: row.items });
		row.behaviour?.(result, sandbox);
	});
});
