import type { IDataObject } from 'n8n-workflow';

import { startSandbox, type SandboxHandle } from '../../sandbox/server';
import { GOOD_TOKEN, items, requestsTo, runFanPass, updateParameters, upsertParameters } from './fixtures';

/**
 * The sandbox misbehaves on demand (sandbox/faults.ts) and the node must get the data there
 * or say exactly what did not arrive: every input item ends as a success or as an error item
 * that names it, and the sandbox's final state is what the input asked for.
 */

const SEGMENTS = '/api/v1/segments';
const UPDATE = '/api/v1/update_user';
const fast = { retryDelay: 0.05 };

const upsert = (requestOptions: IDataObject = fast, overrides: IDataObject = {}): IDataObject =>
	upsertParameters({ requestOptions, ...overrides });
const update = (requestOptions: IDataObject = fast, options: IDataObject = {}): IDataObject =>
	updateParameters({ requestOptions, options });

const fans = (count: number, tag = 'fans') => items(...Array.from({ length: count }, (_, i) => ({ user_id: `u${i}`, tag })));

describe('faults: retried, survived, or reported per item', () => {
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startSandbox({
			tokens: [GOOD_TOKEN],
			customAttributes: ['loyalty_tier', 'loyalty_points', 'vip_level'],
			importDurationMs: 400,
		});
	});
	afterAll(async () => await sandbox.close());
	beforeEach(() => sandbox.reset());

	it.each([
		['a 503 with FanPass\'s envelope', { kind: 'status', status: 503 }],
		['a 502 proxy page', { kind: 'html', status: 502 }],
		['a 504 with an empty body', { kind: 'empty', status: 504 }],
		['a dropped connection', { kind: 'drop' }],
		['a dropped connection after FanPass did the work', { kind: 'drop', afterApply: true }],
	] as const)('survives %s twice in a row', async (_, fault) => {
		sandbox.faults.add({ ...fault, count: 2, path: 'segments' });
		const result = await runFanPass(sandbox, { parameters: upsert(), items: fans(3) });
		expect(result.error).toBeUndefined();
		expect(requestsTo(sandbox, SEGMENTS)).toHaveLength(3);
		expect(sandbox.faults.injected).toHaveLength(2);
		expect(sandbox.state.segments.get('fans')?.userIds).toEqual(['u0', 'u1', 'u2']);
		expect(result.output).toHaveLength(1);
		expect(result.output[0].json).toMatchObject({ userCount: 3 });
		expect(result.logs.join('\n')).toMatch(/retry 2 of 5/);
	});

	it('honours Retry-After in seconds', async () => {
		sandbox.faults.add({ kind: 'status', status: 429, retryAfter: '1', count: 1 });
		const started = Date.now();
		const result = await runFanPass(sandbox, { parameters: upsert({ retryDelay: 0.01 }), items: fans(2) });
		expect(result.error).toBeUndefined();
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		expect(sandbox.state.segments.get('fans')?.userIds).toEqual(['u0', 'u1']);
	});

	it('honours Retry-After as an HTTP date', async () => {
		const at = new Date(Date.now() + 2000).toUTCString();
		sandbox.faults.add({ kind: 'status', status: 429, retryAfter: at, count: 1 });
		const started = Date.now();
		const result = await runFanPass(sandbox, { parameters: upsert({ retryDelay: 0.01 }), items: fans(1) });
		expect(result.error).toBeUndefined();
		// HTTP dates have whole seconds, so the wait is between 1 and 2 s
		expect(Date.now() - started).toBeGreaterThanOrEqual(900);
		expect(requestsTo(sandbox, SEGMENTS)).toHaveLength(2);
	});

	it('gives up at once when Retry-After is beyond the Max Retry Wait, and says so', async () => {
		sandbox.faults.add({ kind: 'status', status: 429, retryAfter: '120', count: 1 });
		const started = Date.now();
		const result = await runFanPass(sandbox, { parameters: upsert({ maxRetryWait: 5 }), items: fans(1) });
		expect(Date.now() - started).toBeLessThan(3000);
		expect(result.error?.message).toContain('FanPass kept rate-limiting the request (HTTP 429)');
		expect(result.error?.message).toContain('FanPass asked to wait 120 s more (Retry-After), beyond the Max Retry Wait of 5 s');
		expect(requestsTo(sandbox, SEGMENTS)).toHaveLength(1);
		expect(sandbox.state.segments.size).toBe(0);
	});

	it('stops after Max Retries and names the attempts', async () => {
		sandbox.faults.add({ kind: 'status', status: 503, count: 10 });
		const result = await runFanPass(sandbox, { parameters: upsert({ ...fast, maxRetries: 2 }), items: fans(1) });
		expect(result.error?.message).toMatch(/^FanPass was unavailable \(HTTP 503\) after 3 attempts over [\d.]+ s; Max Retries is 2$/);
		expect(result.error?.description).toContain('not delivered');
		expect(requestsTo(sandbox, SEGMENTS)).toHaveLength(3);
	});

	it('does not retry when Max Retries is 0', async () => {
		sandbox.faults.add({ kind: 'status', status: 503, count: 1 });
		const result = await runFanPass(sandbox, { parameters: upsert({ maxRetries: 0 }), items: fans(1) });
		expect(result.error?.message).toBe('FanPass was unavailable (HTTP 503)');
		expect(result.error?.description).toContain('FanPass said: Service Unavailable');
		expect(requestsTo(sandbox, SEGMENTS)).toHaveLength(1);
	});

	it.each([
		[400, 'status'],
		[401, 'status'],
		[403, 'status'],
		[413, 'status'],
		[500, 'status'],
		[500, 'html'],
	] as const)('never retries a %p (%s)', async (status, kind) => {
		sandbox.faults.add({ kind, status, count: 1 });
		const result = await runFanPass(sandbox, { parameters: upsert(), items: fans(1) });
		expect(result.error?.message).toBeTruthy();
		expect(result.error?.httpCode).toBe(String(status));
		expect(requestsTo(sandbox, SEGMENTS)).toHaveLength(1);
	});

	it('does not retry a 200 whose body was cut off, and reports it', async () => {
		sandbox.faults.add({ kind: 'truncated', count: 1 });
		const result = await runFanPass(sandbox, { parameters: upsert(), items: fans(1) });
		expect(result.error?.message).toContain('with HTTP 200 OK and a body that is not FanPass\'s JSON');
		expect(requestsTo(sandbox, SEGMENTS)).toHaveLength(1);
	});

	it('retries an attempt that runs past the Timeout', async () => {
		sandbox.faults.add({ kind: 'delay', delayMs: 3000, count: 1 });
		const started = Date.now();
		const result = await runFanPass(sandbox, { parameters: upsert({ ...fast, timeout: 0.5 }), items: fans(2) });
		expect(result.error).toBeUndefined();
		expect(Date.now() - started).toBeLessThan(2500);
		expect(sandbox.state.segments.get('fans')?.userIds).toEqual(['u0', 'u1']);
	});

	it('reports a FanPass that never answers in time, with the timeout and the attempts', async () => {
		sandbox.faults.add({ kind: 'delay', delayMs: 3000, count: 5 });
		const result = await runFanPass(sandbox, { parameters: upsert({ ...fast, timeout: 0.3, maxRetries: 1 }), items: fans(1) });
		expect(result.error?.message).toMatch(/^FanPass did not answer within 0\.3 s \(the Timeout in the node's Request Options\) after 2 attempts/);
		expect(sandbox.state.segments.size).toBe(0);
	});

	it('stops promptly when the execution is cancelled during a retry wait', async () => {
		sandbox.faults.add({ kind: 'status', status: 429, retryAfter: '30', count: 1 });
		const abort = new AbortController();
		setTimeout(() => abort.abort(), 400);
		const started = Date.now();
		// through "localhost": the 30 s pause it leaves is process-wide for its API Host and credential
		// (transport/rateGate.ts) and would hold the next tests, which use 127.0.0.1
		const baseUrl = sandbox.url.replace('127.0.0.1', 'localhost');
		const result = await runFanPass(sandbox, { parameters: upsert(), items: fans(1), abortSignal: abort.signal, baseUrl });
		expect(Date.now() - started).toBeLessThan(2000);
		if (result.status !== 'canceled') expect(result.error?.message).toContain('The execution was stopped while sending to FanPass');
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(requestsTo(sandbox, SEGMENTS)).toHaveLength(1);
		expect(sandbox.state.segments.size).toBe(0);
	});

	it('with continueOnFail, a segment that cannot be delivered is an error item naming its items; the others arrive', async () => {
		sandbox.faults.add({ kind: 'status', status: 503, count: 2, path: 'segments' });
		// tagA's request and its one retry meet both 503s; tagB goes through afterwards
		const result = await runFanPass(sandbox, {
			continueOnFail: true,
			parameters: upsert({ ...fast, maxRetries: 1 }),
			items: [...fans(2, 'tagA'), ...items({ user_id: 'x', tag: 'tagB' })],
		});
		expect(result.error).toBeUndefined();
		const failed = result.output.find((item) => item.json.error);
		expect(failed?.json).toMatchObject({ tag: 'tagA', httpCode: '503' });
		expect(String(failed?.json.error)).toContain('after 2 attempts');
		expect(failed?.pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
		expect(result.output.find((item) => item.json.tag === 'tagB')?.json).toMatchObject({ userCount: 1 });
		expect([...sandbox.state.segments.keys()]).toEqual(['tagB']);
	});

	it('Update User: 429s on a third of the requests slow it down, every user ends right', async () => {
		sandbox.faults.add({ kind: 'status', status: 429, retryAfter: '0.2', probability: 0.3, seed: 7, path: 'update_user' });
		const tiers = ['gold', 'silver', 'bronze', 'platinum', 'green', 'blue', 'red', 'black', 'white', 'pink'];
		const input = items(...Array.from({ length: 40 }, (_, i) => ({ user_id: `f${i}`, props: { loyalty_tier: tiers[i % 10] } })));
		const result = await runFanPass(sandbox, { parameters: update(fast, { concurrency: 4, batchSize: 2 }), items: input });
		expect(result.error).toBeUndefined();
		expect(result.output).toHaveLength(40);
		expect(result.output.every((item) => item.json.error === undefined)).toBe(true);
		expect(sandbox.faults.injected.length).toBeGreaterThan(0);
		for (let i = 0; i < 40; i++) expect(sandbox.state.users.get(`f${i}`)?.custom.loyalty_tier).toBe(tiers[i % 10]);
		// 10 property sets x 4 users / batches of 2 = 20 requests that succeeded, plus the 429s
		const answered = requestsTo(sandbox, UPDATE).filter((request) => !request.fault);
		expect(answered).toHaveLength(20);
	});

	it.each([
		['a long Retry-After pauses the whole run', '5', true],
		['a short Retry-After holds back only the rate-limited request', '1', false],
	] as const)('Update User: %s', async (_, retryAfter, pausesAll) => {
		sandbox.faults.add({ kind: 'status', status: 429, retryAfter, count: 1, path: 'update_user' });
		const input = items(...['gold', 'silver', 'bronze'].map((tier, i) => ({ user_id: `g${i}`, props: { loyalty_tier: tier } })));
		const result = await runFanPass(sandbox, { parameters: update(fast, { concurrency: 2 }), items: input });
		expect(result.error).toBeUndefined();
		const requests = requestsTo(sandbox, UPDATE);
		expect(requests).toHaveLength(4);
		const limitedAt = Date.parse(requests.find((request) => request.fault)?.receivedAt ?? '');
		// the third property set starts once the unlimited first batch is done
		const third = Date.parse(requests[2].receivedAt);
		if (pausesAll) expect(third - limitedAt).toBeGreaterThanOrEqual(4900);
		else expect(third - limitedAt).toBeLessThan(900);
		for (let i = 0; i < 3; i++) expect(sandbox.state.users.get(`g${i}`)?.custom.loyalty_tier).toBe(['gold', 'silver', 'bronze'][i]);
	});

	it('Upload File: a dropped connection re-sends the same file', async () => {
		sandbox.faults.add({ kind: 'drop', count: 1, path: 'segments' });
		const csv = Buffer.from('user_id\r\nz1\r\nz2\r\n');
		const result = await runFanPass(sandbox, {
			parameters: { resource: 'segment', operation: 'uploadFile', title: 'Z', tag: 'zfans', sourceType: 0, fileSource: 'binary', binaryPropertyName: 'data', options: {}, requestOptions: fast },
			items: [{ json: {}, binary: [{ property: 'data', fileName: 'z.csv', mimeType: 'text/csv', data: csv }] }],
		});
		expect(result.error).toBeUndefined();
		const uploads = requestsTo(sandbox, SEGMENTS);
		expect(uploads).toHaveLength(2);
		expect(uploads[1].multipart?.file?.bytes.equals(csv)).toBe(true);
		expect(sandbox.state.segments.get('zfans')?.userIds).toEqual(['z1', 'z2']);
	});

	it('Wait for Import: a 503 while polling is retried; an import failing midway is reported', async () => {
		sandbox.failImportsMidway(1, 'warehouse went away');
		const upload = await runFanPass(sandbox, {
			parameters: { resource: 'segment', operation: 'uploadFile', title: 'M', tag: 'mid', sourceType: 0, fileSource: 'items', csvUserId: '={{ $json.user_id }}', options: {}, requestOptions: fast },
			items: fans(20),
		});
		const importId = upload.output[0].json.importId;
		sandbox.faults.add({ kind: 'status', status: 503, count: 2, path: 'segment_import_status' });
		const result = await runFanPass(sandbox, {
			continueOnFail: true,
			parameters: { resource: 'segment', operation: 'waitForImport', importId: String(importId), options: { pollInterval: 0.05, maxWait: 5 }, requestOptions: fast },
			items: items({}),
		});
		expect(sandbox.faults.injected.filter((fault) => fault.path.endsWith('segment_import_status'))).toHaveLength(2);
		expect(String(result.output[0].json.error)).toContain(`Item 0: FanPass import ${importId} failed (10 of 20 users done)`);
		expect(result.output[0].pairedItem).toEqual({ item: 0 });
	});
});
