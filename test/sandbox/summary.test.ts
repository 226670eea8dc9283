import { createHash } from 'node:crypto';
import { startSandbox, type SandboxHandle } from '../../sandbox/server';
import { call } from './helpers';

let sandbox: SandboxHandle;
beforeAll(async () => {
	sandbox = await startSandbox({ importDurationMs: 100 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

const summary = async (query = '') => (await fetch(`${sandbox.url}/__sandbox/summary${query}`)).json() as Promise<Record<string, any>>;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('GET /__sandbox/summary', () => {
	it('counts requests by path and status, and digests segment members sorted', async () => {
		await call(sandbox, '/api/v1/segments', { title: 'T', tag: 'tagA', userIds: ['30', '10', '20'] });
		await call(sandbox, '/api/v1/segments', { title: 'T', tag: 'tagA', userIds: [] });
		await call(sandbox, '/api/v1/update_user', { userIds: ['10'], userProperties: { sth: 'yes', loyalty_tier: 'gold' } });
		const body = await summary();
		expect(body.requests).toMatchObject({
			total: 3,
			byPathAndStatus: { 'POST /api/v1/segments 200': 1, 'POST /api/v1/segments 400': 1, 'POST /api/v1/update_user 200': 1 },
			faulted: 0,
		});
		expect(body.requests.busyMs).toBeLessThanOrEqual(body.requests.handlingMs + 1);
		expect(Date.parse(body.requests.lastFinishedAt)).toBeGreaterThanOrEqual(Date.parse(body.requests.firstReceivedAt));
		expect(body.segments).toEqual({
			tagA: { count: 3, membersSha256: sha256('10\n20\n30'), mode: 'json', version: 1, lastImportId: null, importErrors: 0 },
		});
		expect(body.userCount).toBe(1);
		expect(body).not.toHaveProperty('users');
	});

	it('?users=1 adds every user, and faulted requests are counted', async () => {
		sandbox.faults.add({ kind: 'status', status: 429, retryAfter: '1', count: 1 });
		await call(sandbox, '/api/v1/update_user', { userIds: ['10'], userProperties: { sth: 'yes' } });
		await call(sandbox, '/api/v1/update_user', { userIds: ['10'], userProperties: { sth: 'yes', loyalty_tier: 'gold' } });
		const body = await summary('?users=1');
		expect(body.requests).toMatchObject({ total: 2, faulted: 1, byPathAndStatus: { 'POST /api/v1/update_user 429': 1, 'POST /api/v1/update_user 200': 1 } });
		expect(body.users).toEqual({ '10': { user_properties: { sth: 'yes' }, custom: { loyalty_tier: 'gold' } } });
	});

	it('answers 405 to other methods', async () => {
		const response = await fetch(`${sandbox.url}/__sandbox/summary`, { method: 'POST' });
		expect(response.status).toBe(405);
	});
});
