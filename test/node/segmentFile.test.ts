import { zipSync } from 'fflate';
import * as XLSX from 'xlsx';

import { startSandbox, type SandboxHandle } from '../../sandbox/server';
import { GOOD_TOKEN, items, requestsTo, runFanPass } from './fixtures';

const SEGMENTS = '/api/v1/segments';
const STATUS = '/api/v1/segment_import_status';

const upload = (overrides: Record<string, unknown> = {}) => ({
	resource: 'segment',
	operation: 'uploadFile',
	title: 'VIP Fans',
	tag: 'vipFans',
	sourceType: 0,
	fileSource: 'binary',
	binaryPropertyName: 'data',
	simplify: false,
	options: {},
	...overrides,
});

const fileItem = (fileName: string, data: Buffer, mimeType: string, json = {}) => ({
	json,
	binary: [{ property: 'data', fileName, mimeType, data }],
});

const CSV = Buffer.from('user_id,loyalty_tier\r\n1001,gold\r\n1002,silver\r\n1002,silver\r\n,gold\r\n');

function xlsxFile(): Buffer {
	const sheet = XLSX.utils.aoa_to_sheet([['user_id', 'vip_level'], ['x1', '2'], ['x2', '3']]);
	const book = XLSX.utils.book_new();
	XLSX.utils.book_append_sheet(book, sheet, 'Fans');
	return XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

describe('Segment → Upload File, Wait for Import, Get Import Status', () => {
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startSandbox({
			tokens: [GOOD_TOKEN],
			customAttributes: ['loyalty_tier', 'vip_level', 'note'],
			importDurationMs: 600,
		});
	});
	afterAll(async () => await sandbox.close());
	beforeEach(() => sandbox.reset());

	it.each(['default', 'filesystem'] as const)('uploads a CSV binary byte for byte in %s binary mode, with every form field', async (binaryMode) => {
		const result = await runFanPass(sandbox, {
			binaryMode,
			parameters: upload({ sourceType: 2, options: { notes: 'batch 9', correlationId: 'trace-123' } }),
			items: [fileItem('vip.csv', CSV, 'text/csv')],
		});
		expect(result.error).toBeUndefined();
		const [request] = requestsTo(sandbox, SEGMENTS);
		expect(request.multipart?.file?.bytes.equals(CSV)).toBe(true);
		expect(request.multipart?.file?.fileName).toBe('vip.csv');
		expect(request.multipart?.fields).toEqual({ title: 'VIP Fans', tag: 'vipFans', sourceType: '2', notes: 'batch 9', dry_run: 'false', correlation_id: 'trace-123' });
		const out = result.output[0].json;
		expect(out).toMatchObject({ mode: 'file', tag: 'vipFans', fileName: 'vip.csv', fileSize: CSV.length, lookupKey: 'vipFans', correlationId: 'trace-123', dryRun: false });
		expect(out.importId).toEqual(request.response.body.firebase_imported_segment_id);
		expect(out.preflight).toEqual({ rows: 4, headerRow: true, columns: ['user_id', 'loyalty_tier'], emptyIds: 1, duplicateIds: 1, uniqueIds: 2, problemColumns: [] });
		expect(sandbox.state.segments.get('vipFans')?.userIds).toEqual(['1001', '1002']);
	});

	it.each([
		['fans.xlsx', xlsxFile(), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
		['fans.zip', Buffer.from(zipSync({ 'fans.csv': new Uint8Array(CSV) })), 'application/zip'],
	])('uploads %s unchanged (filesystem binary mode)', async (fileName, data, mimeType) => {
		const result = await runFanPass(sandbox, { binaryMode: 'filesystem', parameters: upload(), items: [fileItem(fileName, data, mimeType)] });
		expect(result.error).toBeUndefined();
		expect(requestsTo(sandbox, SEGMENTS)[0].multipart?.file?.bytes.equals(data)).toBe(true);
		expect(sandbox.state.segments.get('vipFans')?.userIds.length).toBe(2);
	});

	it('sets a default correlation id that traces the import to the n8n execution', async () => {
		const result = await runFanPass(sandbox, { parameters: upload(), items: [fileItem('vip.csv', CSV, 'text/csv')] });
		expect(result.output[0].json.correlationId).toMatch(/^n8n-.+-vipFans$/);
		expect(requestsTo(sandbox, SEGMENTS)[0].multipart?.fields.correlation_id).toBe(result.output[0].json.correlationId);
	});

	it('a dry run persists nothing', async () => {
		const result = await runFanPass(sandbox, { parameters: upload({ options: { dryRun: true } }), items: [fileItem('vip.csv', CSV, 'text/csv')] });
		expect(result.error).toBeUndefined();
		expect(requestsTo(sandbox, SEGMENTS)[0].multipart?.fields.dry_run).toBe('true');
		expect(result.output[0].json).toMatchObject({ dryRun: true, importId: null });
		expect(sandbox.state.segments.size).toBe(0);
		expect(sandbox.state.imports.size).toBe(0);
	});

	it.each([
		['big.csv', Buffer.alloc(10 * 1024 * 1024 + 1, 0x31), 'text/csv', 'FanPass accepts at most 10 MB', 'Compression node'],
		['fans.txt', Buffer.from('1\n2\n'), 'text/plain', 'is a .txt file; FanPass accepts only .csv, .xlsx, .xls or .zip', 'Convert to File'],
		['empty.csv', Buffer.alloc(0), 'text/csv', 'is empty', ''],
	])('never sends %s, and says what to do', async (fileName, data, mimeType, problem, advice) => {
		const result = await runFanPass(sandbox, { parameters: upload(), items: [fileItem(fileName, data, mimeType)] });
		expect(result.error?.message).toContain(`Item 0: the file "${fileName}"`);
		expect(result.error?.message).toContain(problem);
		expect(result.error?.description ?? '').toContain(advice);
		expect(sandbox.state.requests).toHaveLength(0);
	});

	it('names the missing binary property and the ones the item has', async () => {
		const result = await runFanPass(sandbox, { parameters: upload({ binaryPropertyName: 'file' }), items: [fileItem('vip.csv', CSV, 'text/csv')] });
		expect(result.error?.message).toContain('Item 0: there is no binary property "file"');
		expect(result.error?.description).toContain('data');
		expect(sandbox.state.requests).toHaveLength(0);
	});

	it('refuses two files for one tag: the second would replace the first', async () => {
		const result = await runFanPass(sandbox, { parameters: upload(), items: [fileItem('a.csv', CSV, 'text/csv'), fileItem('b.csv', CSV, 'text/csv')] });
		expect(result.error?.message).toContain('Item 1: uploads a second file for segment "vipFans" (item 0 has the first)');
		expect(sandbox.state.requests).toHaveLength(0);
	});

	it('builds one correctly escaped CSV per tag from the input items', async () => {
		const result = await runFanPass(sandbox, {
			parameters: upload({
				fileSource: 'items',
				csvUserId: '={{ $json.id }}',
				csvColumns: { column: [{ name: 'note', value: '={{ $json.note }}' }] },
			}),
			items: items({ id: 'a1', note: 'plain' }, { id: 'a2', note: 'comma, "quote"' }, { id: 'a3', note: 'two\nlines' }, { id: 'a1', note: 'dup' }),
		});
		expect(result.error).toBeUndefined();
		const [request] = requestsTo(sandbox, SEGMENTS);
		expect(request.multipart?.file?.bytes.toString('utf8')).toBe('user_id,note\r\na1,plain\r\na2,"comma, ""quote"""\r\na3,"two\nlines"\r\n');
		expect(sandbox.state.users.get('a2')?.custom.note).toBe('comma, "quote"');
		expect(sandbox.state.users.get('a3')?.custom.note).toBe('two\nlines');
		expect(result.output[0].json).toMatchObject({ rows: 3, duplicatesRemoved: 1, fileName: 'vipFans.csv' });
		expect(result.output[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
	});

	it('Upsert sends a list over the file-mode threshold as one CSV file and says so', async () => {
		const ids = Array.from({ length: 8 }, (_, i) => ({ user_id: `big${i}` }));
		const result = await runFanPass(sandbox, {
			parameters: { resource: 'segment', operation: 'upsert', title: 'Big', tag: 'big', sourceType: 0, userIdSource: 'items', userId: '={{ $json.user_id }}', simplify: false, options: { fileModeThreshold: 5 } },
			items: items(...ids),
		});
		expect(result.error).toBeUndefined();
		const sent = requestsTo(sandbox, SEGMENTS);
		expect(sent).toHaveLength(1);
		expect(sent[0].multipart?.file?.bytes.toString('utf8')).toBe(['user_id', ...ids.map((id) => id.user_id)].join('\r\n') + '\r\n');
		expect(result.output[0].json).toMatchObject({ mode: 'file', userCount: 8, importId: expect.any(Number) });
		expect(result.output[0].json.fileModeReason).toContain('over the File Mode Threshold (5)');
		expect(sandbox.state.segments.get('big')?.userIds).toHaveLength(8);
	});

	describe('waiting for imports', () => {
		const wait = (options: Record<string, unknown> = {}, importId = '={{ $json.importId }}') => ({
			resource: 'segment',
			operation: 'waitForImport',
			importId,
			options: { pollInterval: 0.1, maxWait: 10, ...options },
		});

		async function newImport(tag = 'vipFans'): Promise<number> {
			const result = await runFanPass(sandbox, { parameters: upload({ tag }), items: [fileItem(`${tag}.csv`, CSV, 'text/csv')] });
			return result.output[0].json.importId as number;
		}

		it('polls through pending and processing to completed', async () => {
			const importId = await newImport();
			const result = await runFanPass(sandbox, { parameters: wait(), items: items({ importId }) });
			expect(result.error).toBeUndefined();
			const out = result.output[0].json;
			expect(out).toMatchObject({ importId, state: 'completed', finished: true, timedOut: false });
			expect(out.polls as number).toBeGreaterThan(1);
			const states = requestsTo(sandbox, STATUS).map((request) => (request.response.body.import_status as { state?: string } | undefined)?.state);
			expect(states).toContain('pending');
			expect(states).toContain('processing');
			expect(states[states.length - 1]).toBe('completed');
		});

		it('polls several imports concurrently', async () => {
			const ids = [await newImport('a'), await newImport('b'), await newImport('c')];
			const started = Date.now();
			const result = await runFanPass(sandbox, { parameters: wait(), items: items(...ids.map((importId) => ({ importId }))) });
			expect(result.error).toBeUndefined();
			expect(result.output.map((item) => item.json.state)).toEqual(['completed', 'completed', 'completed']);
			expect(Date.now() - started).toBeLessThan(3 * 600);
		});

		it('a failed import is an error by default, and can be output instead', async () => {
			const importId = await newImport();
			sandbox.failImport(importId, 'boom');
			const failed = await runFanPass(sandbox, { parameters: wait(), items: items({ importId }) });
			expect(failed.error?.message).toContain(`Item 0: FanPass import ${importId} failed`);
			const output = await runFanPass(sandbox, { parameters: wait({ onFailed: 'output' }), items: items({ importId }) });
			expect(output.output[0].json).toMatchObject({ state: 'failed', finished: true });
		});

		it('running past the maximum wait is an error by default, or outputs the last status', async () => {
			const importId = await newImport();
			const timedOut = await runFanPass(sandbox, { parameters: wait({ maxWait: 0.15 }), items: items({ importId }) });
			expect(timedOut.error?.message).toMatch(/was still (pending|processing) after/);
			const importId2 = await newImport('other');
			const output = await runFanPass(sandbox, { parameters: wait({ maxWait: 0.15, onTimeout: 'output' }), items: items({ importId: importId2 }) });
			expect(output.output[0].json).toMatchObject({ finished: false, timedOut: true });
		});

		it('stops waiting promptly when the execution is cancelled', async () => {
			const importId = await newImport();
			const controller = new AbortController();
			setTimeout(() => controller.abort(), 200);
			const started = Date.now();
			const { runNode } = await import('../harness');
			const { FanPass } = await import('../../nodes/FanPass/FanPass.node');
			const { FanPassApi } = await import('../../credentials/FanPassApi.credentials');
			const result = await runNode({
				node: new FanPass(),
				credentialTypes: [new FanPassApi()],
				credentials: { fanPassApi: { apiToken: GOOD_TOKEN, baseUrl: sandbox.url } },
				parameters: wait({ pollInterval: 5, maxWait: 60 }),
				items: items({ importId }),
				abortSignal: controller.signal,
			});
			expect(Date.now() - started).toBeLessThan(2000);
			if (result.status !== 'canceled') expect(result.error?.message).toContain(`The wait for import ${importId} was cancelled`);
			const polls = requestsTo(sandbox, STATUS).length;
			await new Promise((resolve) => setTimeout(resolve, 300));
			expect(requestsTo(sandbox, STATUS)).toHaveLength(polls);
		});

		it('refuses an import id that is not a number, before any request', async () => {
			const result = await runFanPass(sandbox, { parameters: wait(), items: items({ importId: 'abc' }) });
			expect(result.error?.message).toContain('Item 0: the import ID is "abc", not a whole number');
			expect(sandbox.state.requests).toHaveLength(0);
		});

		it('Get Import Status reads the status once', async () => {
			const importId = await newImport();
			const result = await runFanPass(sandbox, { parameters: { resource: 'segment', operation: 'getImportStatus', importId: String(importId) }, items: items({}) });
			expect(result.error).toBeUndefined();
			expect(result.output[0].json).toMatchObject({ importId, import_status: { total_users: 2 } });
			expect(requestsTo(sandbox, STATUS)[0].body).toEqual({ firebase_imported_segment_id: importId });
		});

		it('Upload File can wait for the import right there', async () => {
			const result = await runFanPass(sandbox, {
				parameters: upload({ options: { waitForCompletion: true, pollInterval: 0.1, maxWait: 10 } }),
				items: [fileItem('vip.csv', CSV, 'text/csv')],
			});
			expect(result.error).toBeUndefined();
			expect(result.output[0].json.wait).toMatchObject({ state: 'completed', finished: true });
		});
	});
});
