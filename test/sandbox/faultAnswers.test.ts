/**
 * The fault kinds that answer with the handled request's own envelope, changed: trickled bodies,
 * rewritten envelopes (error statuses inside a 200, extra errors, odd import states, ids as text,
 * huge lists), and a `status` fault whose envelope says another status than the HTTP one.
 */
import { request } from 'node:http';
import { startSandbox, type SandboxHandle } from '../../sandbox/server';
import { call, csv, TOKEN, upload } from './helpers';

let sandbox: SandboxHandle;
beforeAll(async () => {
	sandbox = await startSandbox({ importDurationMs: 60_000 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const UPDATE = '/api/v1/update_user';
const SEGMENTS = '/api/v1/segments';
const STATUS = '/api/v1/segment_import_status';
const updateBody = { userIds: ['u1'], userProperties: { sth: 'yes' } };

/** POSTs and resolves with the status, the headers' arrival and each body chunk's arrival, in ms. */
function timedPost(path: string, body: unknown, abortAfterMs?: number) {
	return new Promise<{ status: number; text: string; headersAt: number; chunkTimes: number[]; aborted: boolean }>((resolve, reject) => {
		const started = Date.now();
		const chunkTimes: number[] = [];
		let text = '';
		const req = request(`${sandbox.url}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' } }, (res) => {
			const headersAt = Date.now() - started;
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => {
				chunkTimes.push(Date.now() - started);
				text += chunk;
			});
			res.on('end', () => resolve({ status: res.statusCode ?? 0, text, headersAt, chunkTimes, aborted: false }));
			res.on('error', () => resolve({ status: res.statusCode ?? 0, text, headersAt, chunkTimes, aborted: true }));
			if (abortAfterMs !== undefined) setTimeout(() => req.destroy(), abortAfterMs);
		});
		req.on('error', reject);
		req.end(JSON.stringify(body));
	});
}

describe('trickle', () => {
	it('handles the request, sends the headers at once, then the body a chunk at a time', async () => {
		sandbox.faults.add({ kind: 'trickle', intervalMs: 30, chunkBytes: 20 });
		const answer = await timedPost(UPDATE, updateBody);
		expect(answer.status).toBe(200);
		const envelope = JSON.parse(answer.text) as { status: number; messages: string[] };
		expect(envelope).toMatchObject({ status: 200, messages: ['Successfully updated user properties for 1 users'] });
		expect(answer.chunkTimes.length).toBe(Math.ceil(Buffer.byteLength(answer.text) / 20));
		expect(sandbox.state.users.get('u1')?.user_properties).toEqual({ sth: 'yes' });
		expect(sandbox.state.requests[0]).toMatchObject({ fault: 'trickle', status: 200 });
		expect(sandbox.faults.injected[0]).toMatchObject({ kind: 'trickle', status: 200, applied: true });
	});

	it('stops when the client leaves, and the sandbox keeps serving', async () => {
		sandbox.faults.add({ kind: 'trickle', intervalMs: 50 });
		const answer = await timedPost(UPDATE, updateBody, 200);
		expect(answer.aborted).toBe(true);
		expect(answer.text.length).toBeLessThan(10);
		expect((await call(sandbox, UPDATE, updateBody)).status).toBe(200);
	});
});

describe('rewrite', () => {
	it('a 200 whose envelope says 500 and "not stored" (set), after the request was handled', async () => {
		sandbox.faults.add({ kind: 'rewrite', set: { status: 500, errors: ['Segment was not stored'] } });
		const answer = await call(sandbox, UPDATE, updateBody);
		expect(answer.status).toBe(200);
		expect(answer.body).toMatchObject({ status: 500, errors: ['Segment was not stored'], messages: ['Successfully updated user properties for 1 users'] });
		expect(answer.headers.get('x-correlation-id')).toBe(answer.body.correlationId);
		expect(sandbox.state.requests[0]).toMatchObject({ fault: 'rewrite', status: 200, response: { status: 200 } });
	});

	it('another HTTP status (status), and fields removed (unset)', async () => {
		sandbox.faults.add({ kind: 'rewrite', status: 202, unset: ['messages', 'errors'] });
		const answer = await call(sandbox, UPDATE, updateBody);
		expect(answer.status).toBe(202);
		expect(Object.keys(answer.body)).toEqual(['status', 'correlationId']);
		expect(sandbox.faults.injected[0]).toMatchObject({ kind: 'rewrite', status: 202, applied: true });
	});

	it('an import id as numeric text (stringify), the segment really imported', async () => {
		sandbox.faults.add({ kind: 'rewrite', path: 'segments', stringify: ['firebase_imported_segment_id'] });
		const answer = await upload(sandbox, { title: 'T', tag: 'asText' }, { name: 'fans.csv', content: csv([['user_id'], ['1'], ['2']]) });
		expect(answer.status).toBe(200);
		expect(answer.body.firebase_imported_segment_id).toBe('1001');
		expect(sandbox.state.segments.get('asText')?.userIds).toEqual(['1', '2']);
		// the id as text is accepted by the status endpoint too
		expect((await call(sandbox, STATUS, { firebase_imported_segment_id: '1001' })).status).toBe(200);
	});

	it.each(['COMPLETED', 'error', 'archived', ''])('an import state the contract does not name (%p), the rest of import_status kept (deep set)', async (state) => {
		const uploaded = await upload(sandbox, { title: 'T', tag: 'odd' }, { name: 'fans.csv', content: csv([['user_id'], ['1'], ['2']]) });
		sandbox.faults.add({ kind: 'rewrite', path: 'segment_import_status', set: { import_status: { state } } });
		const answer = await call(sandbox, STATUS, { firebase_imported_segment_id: uploaded.body.firebase_imported_segment_id });
		expect(answer.body.import_status).toEqual({ state, total_users: 2, done: 0, remaining: 2, percent: null, firestore_status: null });
	});

	it('huge answers (pad): many messages or errors of an exact length, each distinct', async () => {
		sandbox.faults.add({ kind: 'rewrite', pad: { messages: 1000, errors: 3, length: 700 } });
		const answer = await call(sandbox, UPDATE, updateBody);
		const { messages, errors } = answer.body;
		expect(messages).toHaveLength(1001);
		expect(messages[0]).toBe('Successfully updated user properties for 1 users');
		expect(new Set(messages).size).toBe(1001);
		expect(messages.slice(1).every((message) => message.length === 700 && message.startsWith('Warning: message '))).toBe(true);
		expect(errors).toEqual([expect.stringMatching(/^error 1 of 3 /), expect.stringMatching(/^error 2 of 3 /), expect.stringMatching(/^error 3 of 3 /)]);
		expect(Number(answer.headers.get('content-length'))).toBeGreaterThan(700_000);
	});
});

describe('status with envelopeStatus', () => {
	it('HTTP 200 with an error envelope; nothing handled', async () => {
		sandbox.faults.add({ kind: 'status', status: 200, envelopeStatus: 503, retryAfter: '1' });
		const answer = await call(sandbox, SEGMENTS, { title: 'T', tag: 'x', userIds: ['1'] });
		expect(answer.status).toBe(200);
		expect(answer.headers.get('retry-after')).toBe('1');
		expect(answer.body).toMatchObject({ status: 503, messages: [], errors: ['OK (fault injected by the FanPass sandbox)'] });
		expect(sandbox.state.segments.size).toBe(0);
	});
});
