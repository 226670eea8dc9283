/**
 * POST /api/v1/segments in file mode (multipart/form-data).
 */
import { createHash } from 'node:crypto';
import { MAX_FILE_BYTES } from '../../sandbox/config';
import { startSandbox, type SandboxHandle } from '../../sandbox/server';
import { call, csv, upload, workbook, zip, UUID_V4, type UploadFile } from './helpers';

let sandbox: SandboxHandle;

beforeAll(async () => {
	sandbox = await startSandbox({ importDurationMs: 60_000 });
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => sandbox.reset());

const FIELDS = { title: 'User Group 1', tag: 'userGroup1' };
const csvFile = (content: string, name = 'users.csv'): UploadFile => ({ name, content, type: 'text/csv' });

describe('a successful upload', () => {
	it('replaces the members, returns an import id and the tag as lookup_key', async () => {
		const res = await upload(sandbox, { ...FIELDS, sourceType: '0', notes: 'CSV import' }, csvFile(csv([['12345'], ['54321'], ['56435']])));
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({
			status: 200,
			messages: ['Segment User Group 1 file queued for import'],
			errors: [],
			firebase_imported_segment_id: 1001,
			lookup_key: 'userGroup1',
		});
		expect(sandbox.state.segments.get('userGroup1')).toMatchObject({
			title: 'User Group 1',
			userIds: ['12345', '54321', '56435'],
			mode: 'file',
			sourceType: 0,
			notes: 'CSV import',
			lastImportId: 1001,
			version: 1,
		});
		expect(sandbox.state.imports.get(1001)).toMatchObject({
			id: 1001,
			tag: 'userGroup1',
			fileName: 'users.csv',
			totalUsers: 3,
			totalRows: 3,
			acceptedRows: 3,
			rejectedRows: 0,
		});
	});

	it('numbers imports incrementally', async () => {
		const first = await upload(sandbox, FIELDS, csvFile('a\n'));
		const second = await upload(sandbox, { ...FIELDS, tag: 'other' }, csvFile('b\n'));
		expect([first.body.firebase_imported_segment_id, second.body.firebase_imported_segment_id]).toEqual([1001, 1002]);
	});

	it('records the multipart request: fields, file name, size, sha256 and bytes', async () => {
		const content = csv([['u1'], ['u2']]);
		await upload(sandbox, { ...FIELDS, extra_field: 'x' }, csvFile(content));
		const [request] = sandbox.state.requests;
		expect(request.contentType).toMatch(/^multipart\/form-data; boundary=/);
		expect(request.multipart!.fields).toEqual({ ...FIELDS, extra_field: 'x' });
		expect(request.multipart!.file).toMatchObject({
			fieldName: 'file',
			fileName: 'users.csv',
			mimeType: 'text/csv',
			size: Buffer.byteLength(content),
			sha256: createHash('sha256').update(content).digest('hex'),
			truncated: false,
		});
		expect(request.multipart!.file!.bytes.toString('utf8')).toBe(content);
	});

	it('ignores unknown form fields and takes sourceType from text', async () => {
		const res = await upload(sandbox, { ...FIELDS, sourceType: '3', userIds: 'ignored', whatever: '1' }, csvFile('a\n'));
		expect(res.status).toBe(200);
		expect(sandbox.state.segments.get('userGroup1')).toMatchObject({ sourceType: 3, userIds: ['a'] });
	});

	it('accepts upper-case extensions', async () => {
		const res = await upload(sandbox, FIELDS, csvFile('a\n', 'USERS.CSV'));
		expect(res.status).toBe(200);
	});
});

describe('rinse and replace across modes', () => {
	it('a file replaces a JSON segment, and JSON replaces a file segment', async () => {
		await call(sandbox, '/api/v1/segments', { ...FIELDS, userIds: ['j1', 'j2'] });
		await upload(sandbox, FIELDS, csvFile('f1\nf2\nf3\n'));
		expect(sandbox.state.segments.get('userGroup1')).toMatchObject({ userIds: ['f1', 'f2', 'f3'], mode: 'file', version: 2 });
		await call(sandbox, '/api/v1/segments', { ...FIELDS, userIds: ['j3'] });
		expect(sandbox.state.segments.get('userGroup1')).toMatchObject({ userIds: ['j3'], mode: 'json', version: 3, lastImportId: null });
	});

	it('a second file leaves only its own IDs', async () => {
		await upload(sandbox, FIELDS, csvFile('a\nb\n'));
		await upload(sandbox, FIELDS, csvFile('c\n'));
		expect(sandbox.state.segments.get('userGroup1')!.userIds).toEqual(['c']);
	});
});

describe('CSV parsing (RFC 4180)', () => {
	it('handles quotes, escaped quotes, commas and line breaks inside quotes, CRLF and a BOM', async () => {
		const content =
			'\uFEFFuser_id,favorite_team,loyalty_tier\r\n' +
			'"u1","Reds, the ""Big"" ones",gold\r\n' +
			'u2,"line one\r\nline two",\r\n' +
			'"u,3",Blues,"silver"\r\n';
		const res = await upload(sandbox, FIELDS, csvFile(content));
		expect(res.status).toBe(200);
		expect(sandbox.state.segments.get('userGroup1')!.userIds).toEqual(['u1', 'u2', 'u,3']);
		expect(sandbox.state.users.get('u1')).toMatchObject({
			user_properties: { favorite_team: 'Reds, the "Big" ones' },
			custom: { loyalty_tier: 'gold' },
		});
		expect(sandbox.state.users.get('u2')!.user_properties.favorite_team).toBe('line one\r\nline two');
		expect(sandbox.state.users.get('u2')!.custom).toEqual({});
	});

	it('accepts LF line ends, a missing final line break, trims IDs and skips blank lines', async () => {
		const res = await upload(sandbox, FIELDS, csvFile('a\n\n  b  \n\nc'));
		expect(res.status).toBe(200);
		expect(sandbox.state.segments.get('userGroup1')!.userIds).toEqual(['a', 'b', 'c']);
	});

	it.each([
		['"unterminated\n', 'Malformed CSV: unterminated quoted field starting on line 1'],
		['a\n"b"x\n', 'Malformed CSV: unexpected character after a closing quote on line 2'],
	])('rejects malformed CSV %j', async (content, message) => {
		const res = await upload(sandbox, FIELDS, csvFile(content));
		expect(res.status).toBe(400);
		expect(res.body.errors).toEqual([`File "users.csv": ${message}`]);
		expect(sandbox.state.segments.size).toBe(0);
	});
});

describe('header detection', () => {
	it.each(['user_id', 'userId', 'User ID', 'id', 'ID', 'ticketing_id'])('a first cell %j makes the first row a header', async (label) => {
		const res = await upload(sandbox, FIELDS, csvFile(csv([[label], ['a'], ['b']])));
		expect(res.status).toBe(200);
		expect(sandbox.state.segments.get('userGroup1')!.userIds).toEqual(['a', 'b']);
	});

	it('a first cell that looks like an ID is data (header-less file)', async () => {
		await upload(sandbox, FIELDS, csvFile(csv([['12345'], ['54321']])));
		expect(sandbox.state.segments.get('userGroup1')!.userIds).toEqual(['12345', '54321']);
	});

	it('a header-less file with extra columns rejects the rows that use them', async () => {
		const res = await upload(sandbox, FIELDS, csvFile(csv([['a', 'gold'], ['b', '']])));
		expect(res.status).toBe(200);
		expect(sandbox.state.segments.get('userGroup1')!.userIds).toEqual(['b']);
		expect(sandbox.state.imports.get(1001)!.rowErrors).toEqual([
			'row 1 rejected: column 2 has no header (the file has no header row)',
		]);
	});
});

describe('attribute columns', () => {
	it('writes platform properties and custom attributes per row', async () => {
		const res = await upload(
			sandbox,
			FIELDS,
			csvFile(csv([['user_id', 'sth', 'loyalty_tier'], ['a', 'yes', 'gold'], ['b', 'no', '']])),
		);
		expect(res.body.messages).toEqual(['Segment User Group 1 file queued for import']);
		expect(sandbox.state.users.get('a')).toMatchObject({ user_properties: { sth: 'yes' }, custom: { loyalty_tier: 'gold' } });
		expect(sandbox.state.users.get('b')).toMatchObject({ user_properties: { sth: 'no' }, custom: {} });
	});

	it('ignores reserved and over-long columns with a warning, keeping the rows', async () => {
		const longName = 'a_column_name_over_24_chars';
		const res = await upload(sandbox, FIELDS, csvFile(csv([['user_id', 'user_id', longName, 'sth'], ['a', 'x', 'y', 'yes']])));
		expect(res.status).toBe(200);
		expect(res.body.messages).toEqual([
			'Segment User Group 1 file queued for import',
			'Warning: column "user_id" ignored: reserved system property',
			`Warning: column "${longName}" ignored: key longer than 24 characters`,
		]);
		expect(sandbox.state.segments.get('userGroup1')!.userIds).toEqual(['a']);
		expect(sandbox.state.users.get('a')).toMatchObject({ user_properties: { sth: 'yes' }, custom: {} });
	});

	it('an unknown column rejects each row with a value in it, recording the errors', async () => {
		const res = await upload(
			sandbox,
			FIELDS,
			csvFile(csv([['user_id', 'shoe_size', 'sth'], ['a', '42', 'yes'], ['b', '', 'no'], ['c', '44', 'no']])),
		);
		expect(res.status).toBe(200);
		const unknown = 'column "shoe_size" is not a platform user property or registered custom attribute';
		expect(res.body.messages).toEqual([
			'Segment User Group 1 file queued for import',
			'Warning: 2 of 3 rows rejected',
			`Warning: row 2 rejected: ${unknown}`,
			`Warning: row 4 rejected: ${unknown}`,
		]);
		expect(sandbox.state.segments.get('userGroup1')).toMatchObject({
			userIds: ['b'],
			importErrors: [`row 2 rejected: ${unknown}`, `row 4 rejected: ${unknown}`],
		});
		expect(sandbox.state.users.has('a')).toBe(false);
		expect(sandbox.state.imports.get(1001)).toMatchObject({ totalRows: 3, acceptedRows: 1, rejectedRows: 2, totalUsers: 1 });
	});

	it('echoes the first 10 row errors and counts the rest; the import keeps them all', async () => {
		const rows = [['user_id', 'shoe_size'], ...Array.from({ length: 12 }, (_, i) => [`u${i}`, '40']), ['ok', '']];
		const res = await upload(sandbox, FIELDS, csvFile(csv(rows)));
		expect(res.body.messages).toHaveLength(1 + 1 + 10 + 1);
		expect(res.body.messages[1]).toBe('Warning: 12 of 13 rows rejected');
		expect(res.body.messages[12]).toBe('Warning: ... and 2 more rejected rows');
		expect(sandbox.state.imports.get(1001)!.rowErrors).toHaveLength(12);
	});

	it('a row without a user ID is rejected', async () => {
		await upload(sandbox, FIELDS, csvFile(csv([['user_id', 'sth'], ['', 'yes'], ['b', 'no']])));
		expect(sandbox.state.imports.get(1001)!.rowErrors).toEqual(['row 2 rejected: missing user ID in the first column']);
	});

	it('truncates long values with one warning per column', async () => {
		const long = 'z'.repeat(40);
		const res = await upload(sandbox, FIELDS, csvFile(csv([['user_id', 'favorite_team'], ['a', long], ['b', long], ['c', 'short']])));
		expect(res.body.messages).toEqual([
			'Segment User Group 1 file queued for import',
			'Warning: 2 values in column "favorite_team" truncated to 36 characters',
		]);
		expect(sandbox.state.users.get('a')!.user_properties.favorite_team).toBe('z'.repeat(36));
	});

	it('counts duplicate IDs once; the last row\'s values win', async () => {
		const res = await upload(sandbox, FIELDS, csvFile(csv([['id', 'sth'], ['a', 'first'], ['b', 'x'], ['a', 'last']])));
		expect(res.body.messages).toEqual(['Segment User Group 1 file queued for import', 'Warning: 1 duplicate user ID counted once']);
		expect(sandbox.state.segments.get('userGroup1')!.userIds).toEqual(['a', 'b']);
		expect(sandbox.state.users.get('a')!.user_properties.sth).toBe('last');
		expect(sandbox.state.imports.get(1001)!.totalUsers).toBe(2);
	});

	it('when every row is rejected the segment is left as it was', async () => {
		await call(sandbox, '/api/v1/segments', { ...FIELDS, userIds: ['keep'] });
		const res = await upload(sandbox, FIELDS, csvFile(csv([['id', 'shoe_size'], ['a', '1']])));
		expect(res.status).toBe(200);
		expect(res.body.firebase_imported_segment_id).toBe(1001);
		expect(sandbox.state.segments.get('userGroup1')).toMatchObject({ userIds: ['keep'], mode: 'json', version: 1 });
		expect(sandbox.state.imports.get(1001)).toMatchObject({ totalUsers: 0, rejectedRows: 1 });
	});
});

describe('file types', () => {
	const rows = [['user_id', 'sth', 'loyalty_points'], [12345, 'yes', 10], ['A-7', true, '']];

	it.each(['xlsx', 'xls'] as const)('reads %s workbooks (first sheet; numbers and booleans as text)', async (bookType) => {
		const res = await upload(sandbox, FIELDS, { name: `users.${bookType}`, content: workbook(rows, bookType) });
		expect(res.status).toBe(200);
		expect(sandbox.state.segments.get('userGroup1')!.userIds).toEqual(['12345', 'A-7']);
		expect(sandbox.state.users.get('12345')).toMatchObject({ user_properties: { sth: 'yes' }, custom: { loyalty_points: '10' } });
		expect(sandbox.state.users.get('A-7')).toMatchObject({ user_properties: { sth: 'true' }, custom: {} });
	});

	it('reads a ZIP holding one CSV (ignoring folders and macOS metadata)', async () => {
		const archive = zip({
			'export/users.csv': csv([['a'], ['b']]),
			'__MACOSX/export/._users.csv': 'junk',
			'README.txt': 'not data',
		});
		const res = await upload(sandbox, FIELDS, { name: 'users.zip', content: archive });
		expect(res.status).toBe(200);
		expect(sandbox.state.segments.get('userGroup1')!.userIds).toEqual(['a', 'b']);
	});

	it('reads a ZIP holding one XLSX', async () => {
		const res = await upload(sandbox, FIELDS, { name: 'users.zip', content: zip({ 'users.xlsx': workbook(rows, 'xlsx') }) });
		expect(res.status).toBe(200);
		expect(sandbox.state.segments.get('userGroup1')!.userIds).toEqual(['12345', 'A-7']);
	});

	it.each([
		[{ 'a.csv': 'a\n', 'b.csv': 'b\n' }, 'a.csv, b.csv'],
		[{ 'notes.txt': 'x' }, 'none'],
	])('rejects a ZIP without exactly one data file (%j)', async (entries, found) => {
		const res = await upload(sandbox, FIELDS, { name: 'users.zip', content: zip(entries) });
		expect(res.status).toBe(400);
		expect(res.body.errors).toEqual([
			`File "users.zip": ZIP archive must contain exactly one .csv, .xlsx or .xls file (found: ${found})`,
		]);
	});

	it('rejects bytes that are not what the extension says', async () => {
		const badZip = await upload(sandbox, FIELDS, { name: 'users.zip', content: 'not a zip' });
		expect(badZip.status).toBe(400);
		expect(badZip.body.errors[0]).toMatch(/^File "users\.zip": Could not read ZIP archive/);
		const badXlsx = await upload(sandbox, FIELDS, { name: 'users.xlsx', content: 'a,b\n1,2\n' });
		expect(badXlsx.status).toBe(400);
		expect(badXlsx.body.errors).toEqual(['File "users.xlsx": Could not read XLSX file: not an Excel workbook']);
	});

	it.each([
		['users.txt', '.txt'],
		['users.json', '.json'],
		['users', '(none)'],
		['users.csv.gz', '.gz'],
	])('rejects the extension of %s', async (name, extension) => {
		const res = await upload(sandbox, FIELDS, { name, content: 'a\n' });
		expect(res.status).toBe(400);
		expect(res.body.errors).toEqual([
			`Unsupported file type ${extension} for "${name}": allowed extensions are .csv, .xlsx, .xls, .zip`,
		]);
		expect(sandbox.state.imports.size).toBe(0);
	});
});

describe('size limit (10 MB = 10 * 1024 * 1024 bytes)', () => {
	const exactly10MB = () => {
		const head = 'a\nb\n';
		return head + '\n'.repeat(MAX_FILE_BYTES - head.length);
	};

	it('accepts exactly 10 MB', async () => {
		const content = exactly10MB();
		expect(Buffer.byteLength(content)).toBe(10 * 1024 * 1024);
		const res = await upload(sandbox, FIELDS, csvFile(content));
		expect(res.status).toBe(200);
		expect(sandbox.state.segments.get('userGroup1')!.userIds).toEqual(['a', 'b']);
	});

	it('answers 10 MB + 1 byte with a 413 envelope and persists nothing', async () => {
		const res = await upload(sandbox, FIELDS, csvFile(exactly10MB() + '\n'));
		expect(res.status).toBe(413);
		expect(res.body).toMatchObject({
			status: 413,
			messages: [],
			errors: ['File too large: maximum size is 10 MB (10485760 bytes)'],
		});
		expect(sandbox.state.segments.size).toBe(0);
		expect(sandbox.state.requests[0].multipart!.file).toMatchObject({ truncated: true });
	});
});

describe('required fields and validation', () => {
	it.each([
		[{}, false, 'title, tag, file'],
		[{ notes: 'n' }, false, 'title, tag, file'],
		[FIELDS, false, 'file'],
		[{ tag: 't' }, true, 'title'],
		[{ title: ' ', tag: '' }, true, 'title, tag'],
	])('%j (file: %s) -> Missing required fields: %s', async (fields, withFile, missing) => {
		const res = await upload(sandbox, fields, withFile ? csvFile('a\n') : undefined);
		expect(res.status).toBe(400);
		expect(res.body.errors).toEqual([`Missing required fields: ${missing}`]);
	});

	it('a file part with no name and no bytes counts as missing (a form with no file chosen)', async () => {
		const form = new FormData();
		form.append('title', 'T');
		form.append('tag', 't');
		form.append('file', new Blob([]), '');
		const response = await fetch(`${sandbox.url}/api/v1/segments`, {
			method: 'POST',
			headers: { Authorization: 'Bearer sandbox-token' },
			body: form,
		});
		expect(((await response.json()) as { errors: string[] }).errors).toEqual(['Missing required fields: file']);
	});

	it('a text field named file is not a file', async () => {
		const res = await upload(sandbox, { ...FIELDS, file: 'a,b,c' });
		expect(res.body.errors).toEqual(['Missing required fields: file']);
	});

	it('rejects an empty file and a header-only file', async () => {
		const empty = await upload(sandbox, FIELDS, csvFile(''));
		expect(empty.status).toBe(400);
		expect(empty.body.errors).toEqual(['File "users.csv" is empty']);
		const headerOnly = await upload(sandbox, FIELDS, csvFile('user_id,sth\n\n'));
		expect(headerOnly.status).toBe(400);
		expect(headerOnly.body.errors).toEqual(['File "users.csv" contains no user IDs']);
	});

	it('rejects two file parts', async () => {
		const res = await upload(sandbox, FIELDS, [csvFile('a\n'), csvFile('b\n', 'more.csv')]);
		expect(res.status).toBe(400);
		expect(res.body.errors).toEqual(['Only one file may be uploaded per request']);
	});

	it('validates tag and sourceType', async () => {
		const res = await upload(sandbox, { title: 'T', tag: 'bad tag', sourceType: '7' }, csvFile('a\n'));
		expect(res.status).toBe(400);
		expect(res.body.errors).toEqual([
			'Invalid field "tag": must be alphanumeric (letters and digits only, no spaces), got "bad tag"',
			'Invalid field "sourceType": must be an integer from 0 to 4',
		]);
	});

	it('rejects a malformed multipart body', async () => {
		const response = await fetch(`${sandbox.url}/api/v1/segments`, {
			method: 'POST',
			headers: { Authorization: 'Bearer sandbox-token', 'Content-Type': 'multipart/form-data' },
			body: 'no boundary',
		});
		expect(response.status).toBe(400);
		expect(((await response.json()) as { errors: string[] }).errors[0]).toMatch(/^Malformed multipart\/form-data body/);
	});

	it('multipart is only for /api/v1/segments', async () => {
		const response = await fetch(`${sandbox.url}/api/v1/update_user`, {
			method: 'POST',
			headers: { Authorization: 'Bearer sandbox-token' },
			body: buildSimpleForm(),
		});
		expect(response.status).toBe(415);
		expect(((await response.json()) as { errors: string[] }).errors).toEqual([
			'Unsupported Content-Type "multipart/form-data; boundary=' +
				(sandbox.state.requests[0].contentType ?? '').split('boundary=')[1] +
				'": send application/json',
		]);
	});
});

function buildSimpleForm(): FormData {
	const form = new FormData();
	form.append('userIds', '1');
	return form;
}

describe('dry run', () => {
	it.each(['true', '1', 'yes', 'on', 'TRUE', ' Yes ', 'On'])('dry_run=%j validates and persists nothing', async (flag) => {
		await call(sandbox, '/api/v1/segments', { ...FIELDS, userIds: ['keep'] });
		const res = await upload(
			sandbox,
			{ ...FIELDS, dry_run: flag },
			csvFile(csv([['user_id', 'sth', 'shoe_size'], ['a', 'yes', ''], ['b', 'no', '9'], ['a', 'yes', '']])),
		);
		expect(res.status).toBe(200);
		expect(res.body).not.toHaveProperty('firebase_imported_segment_id');
		expect(res.body).not.toHaveProperty('lookup_key');
		expect(res.body.messages).toEqual([
			'Dry run: segment User Group 1 file validated, nothing was persisted',
			'Rows: 3 (accepted 2, rejected 1); unique users: 1; header row: yes',
			'Warning: 1 duplicate user ID counted once',
			'Warning: 1 of 3 rows rejected',
			'Warning: row 3 rejected: column "shoe_size" is not a platform user property or registered custom attribute',
		]);
		expect(sandbox.state.segments.get('userGroup1')).toMatchObject({ userIds: ['keep'], version: 1 });
		expect(sandbox.state.users.size).toBe(0);
		expect(sandbox.state.imports.size).toBe(0);
		expect(sandbox.state.nextImportId).toBe(1001);
	});

	it.each(['false', '0', 'no', 'off', '', 'maybe'])('dry_run=%j is a real import', async (flag) => {
		const res = await upload(sandbox, { ...FIELDS, dry_run: flag }, csvFile('a\n'));
		expect(res.body.firebase_imported_segment_id).toBe(1001);
		expect(sandbox.state.segments.has('userGroup1')).toBe(true);
	});

	it('a dry run still reports invalid files as errors', async () => {
		const res = await upload(sandbox, { ...FIELDS, dry_run: 'true' }, csvFile('a\n', 'users.txt'));
		expect(res.status).toBe(400);
	});
});

describe('correlation_id', () => {
	it('overrides the response correlationId (body and header) on success and on errors', async () => {
		const ok = await upload(sandbox, { ...FIELDS, correlation_id: 'trace-123' }, csvFile('a\n'));
		expect(ok.body.correlationId).toBe('trace-123');
		expect(ok.headers.get('x-correlation-id')).toBe('trace-123');
		expect(sandbox.state.requests[0].correlationId).toBe('trace-123');
		const bad = await upload(sandbox, { correlation_id: 'trace-456' });
		expect(bad.status).toBe(400);
		expect(bad.body.correlationId).toBe('trace-456');
	});

	it('an empty correlation_id (as the collection sends it) keeps the generated uuid', async () => {
		const res = await upload(sandbox, { ...FIELDS, correlation_id: '' }, csvFile('a\n'));
		expect(res.body.correlationId).toMatch(UUID_V4);
	});
});
