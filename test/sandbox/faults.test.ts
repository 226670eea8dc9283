/**
 * Fault injection in the sandbox, through real HTTP: each kind, count and probability,
 * filters, afterApply, the control endpoints, reset, and imports that fail midway.
 */
import { Agent, request } from 'node:http';
import { FaultInjector } from '../../sandbox/faults';
import { startSandbox, type FaultRule, type SandboxHandle } from '../../sandbox/server';
import { exitCode, startCli } from './cliProcess';
import { call, csv, ids, TOKEN, upload } from './helpers';

let sandbox: SandboxHandle;

beforeAll(async () => {
	sandbox = await startSandbox({ importDurationMs: 60_000 });
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => {
	sandbox.reset();
});

const UPDATE = '/api/v1/update_user';
const SEGMENTS = '/api/v1/segments';
const STATUS = '/api/v1/segment_import_status';
const updateBody = { userIds: ['u1'], userProperties: { sth: 'yes' } };
const segmentBody = { title: 'Group', tag: 'group1', userIds: ['1', '2'] };

function post(path: string, body: unknown, token = TOKEN, method = 'POST'): Promise<Response> {
	return fetch(`${sandbox.url}${path}`, {
		method,
		headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
		body: method === 'GET' ? undefined : JSON.stringify(body),
	});
}

function control(method: string, path: string, body?: unknown): Promise<Response> {
	return fetch(`${sandbox.url}/__sandbox${path}`, {
		method,
		headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
}

async function waitForRequests(count: number): Promise<void> {
	for (let tries = 0; sandbox.state.requests.length < count; tries++) {
		if (tries > 200) throw new Error(`expected ${count} recorded requests, got ${sandbox.state.requests.length}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

describe('each kind', () => {
	it('status: 503 by default, FanPass envelope with the error, correlation id, nothing handled', async () => {
		sandbox.faults.add({ kind: 'status' });
		const res = await post(UPDATE, updateBody);
		expect(res.status).toBe(503);
		expect(res.headers.get('content-type')).toMatch(/^application\/json/);
		expect(res.headers.get('retry-after')).toBeNull();
		const body = (await res.json()) as Record<string, unknown>;
		expect(body).toEqual({
			status: 503,
			correlationId: res.headers.get('x-correlation-id'),
			messages: [],
			errors: ['Service Unavailable (fault injected by the FanPass sandbox)'],
		});
		expect(sandbox.state.users.size).toBe(0);
		const [request] = sandbox.state.requests;
		expect(request).toMatchObject({ fault: 'status', status: 503, body: updateBody, response: { status: 503, body } });
		expect(sandbox.faults.injected).toEqual([
			{ at: expect.any(Number), method: 'POST', path: UPDATE, kind: 'status', status: 503, applied: false },
		]);
	});

	it('status: custom status, message and Retry-After sent verbatim (seconds or HTTP date)', async () => {
		const date = 'Wed, 21 Oct 2026 07:28:00 GMT';
		sandbox.faults.add([
			{ kind: 'status', status: 429, retryAfter: '1', message: 'Rate limit exceeded' },
			{ kind: 'status', status: 503, retryAfter: date },
		]);
		const first = await post(UPDATE, updateBody);
		expect(first.status).toBe(429);
		expect(first.headers.get('retry-after')).toBe('1');
		expect(((await first.json()) as { errors: string[] }).errors).toEqual(['Rate limit exceeded']);
		const second = await post(UPDATE, updateBody);
		expect(second.status).toBe(503);
		expect(second.headers.get('retry-after')).toBe(date);
		await second.json();
		expect((await post(UPDATE, updateBody)).status).toBe(200);
	});

	it('html: 502 proxy page with content-type text/html', async () => {
		sandbox.faults.add({ kind: 'html', retryAfter: '2' });
		const res = await post(UPDATE, updateBody);
		expect(res.status).toBe(502);
		expect(res.headers.get('content-type')).toMatch(/^text\/html/);
		expect(res.headers.get('retry-after')).toBe('2');
		const text = await res.text();
		expect(text).toContain('<title>502 Bad Gateway</title>');
		expect(() => JSON.parse(text)).toThrow();
		expect(sandbox.state.users.size).toBe(0);
		expect(sandbox.state.requests[0]).toMatchObject({ fault: 'html', status: 502 });
	});

	it('empty: 502 with an empty body', async () => {
		sandbox.faults.add({ kind: 'empty' });
		const res = await post(UPDATE, updateBody);
		expect(res.status).toBe(502);
		expect(res.headers.get('content-length')).toBe('0');
		expect(await res.text()).toBe('');
		expect(sandbox.state.users.size).toBe(0);
	});

	it('truncated: 200, application/json, a body that is cut-off JSON', async () => {
		sandbox.faults.add({ kind: 'truncated' });
		const res = await post(UPDATE, updateBody);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/^application\/json/);
		const text = await res.text();
		expect(text.startsWith('{"status":200,')).toBe(true);
		expect(() => JSON.parse(text)).toThrow(SyntaxError);
		expect(sandbox.state.users.size).toBe(0);
		expect(sandbox.state.requests[0]).toMatchObject({ fault: 'truncated', status: 200 });
	});

	it('drop: the socket is destroyed without a response', async () => {
		sandbox.faults.add({ kind: 'drop' });
		await expect(post(UPDATE, updateBody)).rejects.toThrow(/fetch failed/);
		await waitForRequests(1);
		expect(sandbox.state.users.size).toBe(0);
		expect(sandbox.state.requests[0]).toMatchObject({ fault: 'drop', status: 0, body: updateBody });
		expect(sandbox.faults.injected[0]).toEqual({ at: expect.any(Number), method: 'POST', path: UPDATE, kind: 'drop', applied: false });
		expect(sandbox.faults.injected[0]).not.toHaveProperty('status');
		// The next request gets through on a fresh connection.
		expect((await post(UPDATE, updateBody)).status).toBe(200);
	});

	it('delay: the request is answered normally after delayMs', async () => {
		sandbox.faults.add({ kind: 'delay', delayMs: 300 });
		const started = Date.now();
		const res = await post(UPDATE, updateBody);
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
		expect(res.status).toBe(200);
		expect(sandbox.state.users.get('u1')?.user_properties).toEqual({ sth: 'yes' });
		expect(sandbox.state.requests[0]).toMatchObject({ fault: 'delay', status: 200, response: { status: 200 } });
		expect(sandbox.faults.injected[0]).toMatchObject({ kind: 'delay', status: 200, applied: true });
	});

});

describe('count and probability', () => {
	it('a rule applies once by default, count N times, then it is spent', async () => {
		sandbox.faults.add([{ kind: 'status', status: 502, count: 2 }, { kind: 'status', status: 504 }]);
		const statuses: number[] = [];
		for (let i = 0; i < 4; i++) statuses.push((await post(UPDATE, updateBody)).status);
		expect(statuses).toEqual([502, 502, 504, 200]);
		expect(sandbox.faults.list()).toEqual([
			{ kind: 'status', status: 502, count: 2, remaining: 0, matched: 2, hits: 2 },
			{ kind: 'status', status: 504, remaining: 0, matched: 1, hits: 1 },
		]);
		expect(sandbox.state.requests.map((request) => request.fault)).toEqual(['status', 'status', 'status', undefined]);
	});

	it('a windowMs rule hits every matching request from its first hit until the window closes, then it is spent', async () => {
		sandbox.faults.add({ kind: 'status', status: 429, retryAfter: '1', windowMs: 400, path: 'update_user' });
		expect((await post(SEGMENTS, segmentBody)).status).toBe(200); // not matched: the window is not opened
		const during = [(await post(UPDATE, updateBody)).status, (await post(UPDATE, updateBody)).status];
		expect(sandbox.faults.list()[0]).toMatchObject({ remaining: 1, hits: 2 });
		await new Promise((resolve) => setTimeout(resolve, 450));
		const after = [(await post(UPDATE, updateBody)).status, (await post(UPDATE, updateBody)).status];
		expect([during, after]).toEqual([[429, 429], [200, 200]]);
		expect(sandbox.faults.list()[0]).toMatchObject({ remaining: 0, hits: 2, matched: 3 });
	});

	it('refuses windowMs with count or probability, and a windowMs below 1', () => {
		expect(() => sandbox.faults.add({ kind: 'status', windowMs: 100, count: 2 })).toThrow(/give only one of count, windowMs and probability/);
		expect(() => sandbox.faults.add({ kind: 'status', windowMs: 0 })).toThrow(/windowMs must be a positive integer/);
	});

	/** Sends `requests` POSTs one after another over one keep-alive socket (node:http is faster than fetch here). */
	async function faultedIndexes(rule: FaultRule, requests: number): Promise<number[]> {
		sandbox.reset();
		sandbox.faults.add(rule);
		const agent = new Agent({ keepAlive: true, maxSockets: 1 });
		const send = () =>
			new Promise<number>((resolve, reject) => {
				const req = request(
					`${sandbox.url}${STATUS}`,
					{ method: 'POST', agent, headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' } },
					(res) => {
						res.resume();
						res.on('end', () => resolve(res.statusCode ?? 0));
					},
				);
				req.on('error', reject);
				req.end('{}');
			});
		const hits: number[] = [];
		try {
			for (let i = 0; i < requests; i++) {
				const status = await send();
				if (status === 429) hits.push(i);
				else expect(status).toBe(400);
			}
		} finally {
			agent.destroy();
		}
		return hits;
	}

	/** The hits a fresh injector with this rule gives, without HTTP. */
	function expectedIndexes(rule: FaultRule, requests: number): number[] {
		const injector = new FaultInjector();
		injector.add(rule);
		return Array.from({ length: requests }, (_, i) => i).filter(() => injector.take('POST', STATUS) !== null);
	}

	it('probability 0.1 over 1000 requests: about 100 hits, deterministic for a seed, never spent', async () => {
		const rule: FaultRule = { kind: 'status', status: 429, retryAfter: '1', probability: 0.1 };
		const hits = await faultedIndexes(rule, 1000);
		expect(hits.length).toBeGreaterThanOrEqual(70);
		expect(hits.length).toBeLessThanOrEqual(130);
		expect(sandbox.faults.list()[0]).toMatchObject({ remaining: null, matched: 1000, hits: hits.length });
		expect(sandbox.faults.injected).toHaveLength(hits.length);
		expect(sandbox.state.requests.filter((entry) => entry.fault === 'status')).toHaveLength(hits.length);
		// Same seed (default 1), same requests hit; another seed hits others.
		expect(expectedIndexes(rule, 1000)).toEqual(hits);
		expect(expectedIndexes({ ...rule, seed: 1 }, 1000)).toEqual(hits);
		const otherSeed = expectedIndexes({ ...rule, seed: 42 }, 1000);
		expect(otherSeed).not.toEqual(hits);
		expect(otherSeed.length).toBeGreaterThanOrEqual(70);
		expect(otherSeed.length).toBeLessThanOrEqual(130);
		expect(await faultedIndexes({ ...rule, seed: 42 }, 100)).toEqual(otherSeed.filter((index) => index < 100));
	});

});

describe('effects', () => {
	it('a faulted request changes nothing: no segment, no user, no import id used', async () => {
		sandbox.faults.add({ kind: 'status', count: 3 });
		expect((await post(SEGMENTS, segmentBody)).status).toBe(503);
		expect((await post(UPDATE, updateBody)).status).toBe(503);
		const before = sandbox.state.nextImportId;
		const file = await upload(sandbox, { title: 'F', tag: 'file1' }, { name: 'u.csv', content: csv([['user_id'], ['9']]) });
		expect(file.status).toBe(503);
		expect(sandbox.state.segments.size).toBe(0);
		expect(sandbox.state.users.size).toBe(0);
		expect(sandbox.state.imports.size).toBe(0);
		expect(sandbox.state.nextImportId).toBe(before);
		expect(sandbox.state.requests.map((request) => request.status)).toEqual([503, 503, 503]);
	});

	it('afterApply with status: the segment is written, then the client gets the 503', async () => {
		sandbox.faults.add({ kind: 'status', afterApply: true });
		const res = await post(SEGMENTS, segmentBody);
		expect(res.status).toBe(503);
		expect(sandbox.state.segments.get('group1')?.userIds).toEqual(['1', '2']);
		expect(sandbox.state.requests[0]).toMatchObject({ fault: 'status', status: 503, response: { status: 200 } });
		expect(sandbox.faults.injected[0]).toMatchObject({ kind: 'status', status: 503, applied: true });
	});

	it('afterApply with drop: the user is updated, but the response is lost', async () => {
		sandbox.faults.add({ kind: 'drop', afterApply: true });
		await expect(post(UPDATE, updateBody)).rejects.toThrow(/fetch failed/);
		await waitForRequests(1);
		expect(sandbox.state.users.get('u1')?.user_properties).toEqual({ sth: 'yes' });
		expect(sandbox.faults.injected[0]).toMatchObject({ kind: 'drop', applied: true });
	});

	it('afterApply with html: the file import is created before the proxy page is sent', async () => {
		sandbox.faults.add({ kind: 'html', afterApply: true });
		const rows = [['user_id'], ...ids(3).map((id) => [id])];
		const response = await fetch(`${sandbox.url}${SEGMENTS}`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${TOKEN}` },
			body: (() => {
				const form = new FormData();
				form.append('title', 'F');
				form.append('tag', 'file1');
				form.append('file', new Blob([csv(rows)]), 'u.csv');
				return form;
			})(),
		});
		expect(response.status).toBe(502);
		expect(await response.text()).toContain('Bad Gateway');
		expect(sandbox.state.imports.size).toBe(1);
		expect(sandbox.state.segments.get('file1')?.userIds).toEqual(['u1', 'u2', 'u3']);
	});

});

describe('filters', () => {
	it('path: only requests whose path ends with it', async () => {
		sandbox.faults.add({ kind: 'status', path: 'update_user', count: 5 });
		expect((await post(SEGMENTS, segmentBody)).status).toBe(200);
		expect((await post(UPDATE, updateBody)).status).toBe(503);
		expect(sandbox.faults.list()[0]).toMatchObject({ remaining: 4, matched: 1 });
	});

	it('control endpoints are never faulted', async () => {
		sandbox.faults.add({ kind: 'drop', count: 10 });
		expect((await control('GET', '/health')).status).toBe(200);
		expect((await control('GET', '/state')).status).toBe(200);
		expect(sandbox.faults.list()[0]).toMatchObject({ remaining: 10, matched: 0 });
	});
});

describe('control endpoints', () => {
	it('POST adds {rules} or a single rule, GET lists rules and injected faults, DELETE clears', async () => {
		const rule = { kind: 'status', status: 429, retryAfter: '1', count: 2, path: 'update_user' };
		let res = await control('POST', '/faults', { rules: [rule] });
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ ok: true, rules: [{ ...rule, remaining: 2, matched: 0, hits: 0 }] });
		res = await control('POST', '/faults', { kind: 'empty', path: 'segments' });
		expect(res.status).toBe(200);

		expect((await post(UPDATE, updateBody)).status).toBe(429);
		expect((await post(SEGMENTS, segmentBody)).status).toBe(502);

		const listed = (await (await control('GET', '/faults')).json()) as Record<string, unknown>;
		expect(listed).toEqual({
			rules: [
				{ ...rule, remaining: 1, matched: 1, hits: 1 },
				{ kind: 'empty', path: 'segments', remaining: 0, matched: 1, hits: 1 },
			],
			injected: [
				{ at: expect.any(Number), method: 'POST', path: UPDATE, kind: 'status', status: 429, applied: false },
				{ at: expect.any(Number), method: 'POST', path: SEGMENTS, kind: 'empty', status: 502, applied: false },
			],
			failImportsMidway: { remaining: 0, reason: expect.any(String) },
		});

		res = await control('DELETE', '/faults');
		expect(await res.json()).toEqual({ ok: true });
		expect(sandbox.faults.list()).toEqual([]);
		expect(sandbox.faults.injected).toEqual([]);
		expect((await post(UPDATE, updateBody)).status).toBe(200);
	});

	it.each([
		[{ kind: 'explode' }, /unknown kind "explode" \(expected one of status, html, empty, truncated, drop, delay, trickle, rewrite\)/],
		[{ kind: 'status', probability: 1.5 }, /probability must be a number from 0 to 1/],
		[{ kind: 'status', probability: -0.1 }, /probability must be a number from 0 to 1/],
		[{ kind: 'status', count: -1 }, /count must be a positive integer/],
		[{ kind: 'status', count: 1, probability: 0.5 }, /either count or probability, not both/],
		[{ kind: 'status', status: 42 }, /status must be an integer from 200 to 599/],
		[{ kind: 'status', retryAfter: 'soon\r\nX-Evil: 1' }, /retryAfter must be a non-empty string of printable ASCII/],
		[{ kind: 'status', path: 5 }, /path must be a non-empty string/],
		[{ kind: 'status', afterApply: 'yes' }, /afterApply must be true or false/],
		[{ kind: 'delay' }, /delayMs must be a non-negative integer/],
		[{ kind: 'delay', delayMs: 1, afterApply: true }, /afterApply does not apply to kind "delay"/],
		[{ kind: 'drop', status: 503 }, /status does not apply to kind "drop"/],
		[{ kind: 'status', probabilty: 0.1 }, /unknown field "probabilty"/],
		[{ kind: 'status', envelopeStatus: 99 }, /envelopeStatus must be an integer from 100 to 599/],
		[{ kind: 'html', envelopeStatus: 500 }, /envelopeStatus applies only to kind "status"/],
		[{ kind: 'trickle', intervalMs: -1 }, /intervalMs must be a non-negative integer/],
		[{ kind: 'trickle', chunkBytes: 0 }, /chunkBytes must be a positive integer/],
		[{ kind: 'trickle', afterApply: true }, /afterApply does not apply to kind "trickle"/],
		[{ kind: 'delay', delayMs: 1, intervalMs: 5 }, /intervalMs applies only to kind "trickle"/],
		[{ kind: 'rewrite' }, /kind "rewrite" needs at least one of set, unset, stringify, pad/],
		[{ kind: 'rewrite', set: [1] }, /set must be a JSON object/],
		[{ kind: 'rewrite', unset: [] }, /unset must be a non-empty list of field names/],
		[{ kind: 'rewrite', pad: { messages: 1, lenght: 5 } }, /unknown field "pad.lenght"/],
		[{ kind: 'rewrite', pad: { messages: 1e6, length: 1e6 } }, /pad asks for more than/],
		[{ kind: 'status', pad: { messages: 1 } }, /pad applies only to kind "rewrite"/],
		['[1]', /fault rule #1: must be a JSON object/],
		[{ rules: 'nope' }, /"rules" must be an array/],
		['{not json', /Invalid JSON body/],
	])('a bad rule is a 400 with a clear message: %j', async (body, message) => {
		const res = await control('POST', '/faults', body);
		expect(res.status).toBe(400);
		const answer = (await res.json()) as { ok: boolean; error: string };
		expect(answer.ok).toBe(false);
		expect(answer.error).toMatch(message);
	});

	it('an invalid rule in a list adds none of them, and the error names it', async () => {
		const res = await control('POST', '/faults', { rules: [{ kind: 'status' }, { kind: 'html', count: 0 }] });
		expect(res.status).toBe(400);
		expect(((await res.json()) as { error: string }).error).toBe('Invalid fault rule #2: count must be a positive integer');
		expect(sandbox.faults.list()).toEqual([]);
	});

	it('handle.faults.add throws on a bad rule, and startSandbox refuses bad rules', async () => {
		expect(() => sandbox.faults.add({ kind: 'status', probability: 2 })).toThrow(/probability must be a number from 0 to 1/);
		await expect(startSandbox({ faults: [{ kind: 'nope' as 'status' }] })).rejects.toThrow(/unknown kind "nope"/);
	});

	it('reset (handle or POST /__sandbox/reset) removes rules and the injected log', async () => {
		sandbox.faults.add({ kind: 'status', count: 5 });
		expect((await post(UPDATE, updateBody)).status).toBe(503);
		sandbox.reset();
		expect(sandbox.faults.list()).toEqual([]);
		expect(sandbox.faults.injected).toEqual([]);
		await control('POST', '/faults', { kind: 'status', count: 5 });
		expect((await post(UPDATE, updateBody)).status).toBe(503);
		expect((await control('POST', '/reset')).status).toBe(200);
		expect(sandbox.faults.list()).toEqual([]);
		expect(sandbox.faults.injected).toEqual([]);
		expect((await post(UPDATE, updateBody)).status).toBe(200);
	});
});

describe('rules installed at start', () => {
	it('startSandbox({faults}) applies them from the first request', async () => {
		const own = await startSandbox({ faults: [{ kind: 'status', status: 429, retryAfter: '1', count: 1 }] });
		try {
			const first = await call(own, UPDATE, updateBody);
			expect(first.status).toBe(429);
			expect(first.headers.get('retry-after')).toBe('1');
			expect((await call(own, UPDATE, updateBody)).status).toBe(200);
		} finally {
			await own.close();
		}
	});
});

describe('imports that fail midway', () => {
	let clock = 1_700_000_000_000;
	let timed: SandboxHandle;
	beforeAll(async () => {
		// 1000 ms: pending until 200 ms, processing until 1000 ms; a midway failure happens at 600 ms.
		timed = await startSandbox({ importDurationMs: 1000, now: () => clock });
	});
	afterAll(async () => {
		await timed.close();
	});
	beforeEach(() => {
		timed.reset();
	});

	async function importUsers(count: number): Promise<number> {
		const rows = [['user_id'], ...ids(count).map((id) => [id])];
		const res = await upload(timed, { title: 'Imported', tag: 'imported' }, { name: 'users.csv', content: csv(rows) });
		expect(res.status).toBe(200);
		return res.body.firebase_imported_segment_id as number;
	}

	async function statusAt(id: number, start: number, ms: number) {
		clock = start + ms;
		const res = await call(timed, STATUS, { firebase_imported_segment_id: id });
		expect(res.status).toBe(200);
		return res.body;
	}

	it('goes pending -> processing -> failed with some rows done, then the next import runs normally', async () => {
		expect(timed.failImportsMidway(1, 'warehouse went away')).toEqual({ remaining: 1, reason: 'warehouse went away' });
		const start = clock;
		const id = await importUsers(20);
		expect((await statusAt(id, start, 100)).import_status).toMatchObject({ state: 'pending' });
		expect((await statusAt(id, start, 400)).import_status).toMatchObject({ state: 'processing', done: 5 });
		const failed = await statusAt(id, start, 600);
		expect(failed.import_status).toEqual({ state: 'failed', total_users: 20, done: 10, remaining: 10, percent: 50, firestore_status: 'failed' });
		expect(failed.messages).toEqual(['Import failed: warehouse went away']);
		expect((await statusAt(id, start, 5000)).import_status).toMatchObject({ state: 'failed', done: 10 });

		const next = await importUsers(4);
		expect((await statusAt(next, clock, 1000)).import_status).toMatchObject({ state: 'completed' });
	});

	it('POST /__sandbox/imports/fail-midway arms the next N imports; 0 turns it off', async () => {
		const arm = await fetch(`${timed.url}/__sandbox/imports/fail-midway`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ count: 2 }),
		});
		expect(arm.status).toBe(200);
		expect(await arm.json()).toEqual({ ok: true, failImportsMidway: { remaining: 2, reason: expect.stringMatching(/midway/) } });
		const start = clock;
		const first = await importUsers(10);
		const second = await importUsers(10);
		const third = await importUsers(10);
		clock = start + 2000;
		const states = [];
		for (const id of [first, second, third]) states.push((await statusAt(id, start, 2000)).import_status);
		expect(states.map((s) => (s as { state: string }).state)).toEqual(['failed', 'failed', 'completed']);
		expect(states[0]).toMatchObject({ done: 5 });

		const bad = await fetch(`${timed.url}/__sandbox/imports/fail-midway`, { method: 'POST', body: '{"count":-1}' });
		expect(bad.status).toBe(400);
		expect(((await bad.json()) as { error: string }).error).toMatch(/count must be a non-negative integer/);
	});

	it('startSandbox({failImportsMidway: true}) fails every import until reset', async () => {
		const own = await startSandbox({ importDurationMs: 1000, now: () => clock, failImportsMidway: true });
		try {
			const start = clock;
			const ids2: number[] = [];
			for (let i = 0; i < 3; i++) {
				const res = await upload(own, { title: 'T', tag: 't' }, { name: 'u.csv', content: csv([['id'], ['a'], ['b']]) });
				ids2.push(res.body.firebase_imported_segment_id as number);
			}
			clock = start + 1000;
			for (const id of ids2) expect(own.importStatus(id)?.state).toBe('failed');
			own.reset();
			const res = await upload(own, { title: 'T', tag: 't' }, { name: 'u.csv', content: csv([['id'], ['a']]) });
			clock += 1000;
			expect(own.importStatus(res.body.firebase_imported_segment_id as number)?.state).toBe('completed');
		} finally {
			await own.close();
		}
	});
});

describe('CLI: FANPASS_SANDBOX_FAULTS', () => {
	it('installs the JSON array of rules at start', async () => {
		const faults = '[{"kind":"status","status":429,"retryAfter":"1","count":2,"path":"update_user"}]';
		const { child, url, output } = await startCli({ FANPASS_SANDBOX_PORT: '0', FANPASS_SANDBOX_FAULTS: faults });
		try {
			expect(output()).toContain('Faults:    1 rule(s) from FANPASS_SANDBOX_FAULTS');
			const statuses: number[] = [];
			for (let i = 0; i < 3; i++) {
				const res = await fetch(`${url}${UPDATE}`, {
					method: 'POST',
					headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
					body: JSON.stringify(updateBody),
				});
				if (res.status === 429) expect(res.headers.get('retry-after')).toBe('1');
				await res.arrayBuffer();
				statuses.push(res.status);
			}
			expect(statuses).toEqual([429, 429, 200]);
		} finally {
			const exited = exitCode(child);
			child.kill('SIGTERM');
			expect(await exited).toBe(0);
		}
		expect(output()).toMatch(/POST \/api\/v1\/update_user -> 429 fault=status auth=valid/);
	});

	it.each([
		['not json', /FANPASS_SANDBOX_FAULTS: .*JSON/],
		['[{"kind":"status","probability":2}]', /FANPASS_SANDBOX_FAULTS: Invalid fault rule #1: probability must be a number from 0 to 1/],
	])('refuses %s with exit code 2 and a clear message', async (faults, message) => {
		const started = startCli({ FANPASS_SANDBOX_PORT: '0', FANPASS_SANDBOX_FAULTS: faults });
		await expect(started).rejects.toThrow(message);
		await expect(started).rejects.toThrow(/cli exited early \(2\)/);
	});
});
