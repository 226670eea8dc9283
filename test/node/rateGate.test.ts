import { MAX_OPEN_GATES, rateGateFor, sharedGateCount } from '../../nodes/FanPass/transport/rateGate';
import { startSandbox, type SandboxHandle } from '../../sandbox/server';
import { GOOD_TOKEN, items, runFanPass, updateParameters } from './fixtures';

/**
 * The rate-limit gate is process-wide: a long 429 pause (Retry-After of 5 s or more) holds every request to
 * the same API Host with the same credential id, from any node run or execution in the process; other hosts
 * and other credentials go on. The key never contains the token.
 */
describe('rate gate keys', () => {
	const runA = {};
	const runB = {};

	it('one gate per API Host and credential id, shared by node runs', () => {
		const gate = rateGateFor('https://api.example.test', 'cred-1', runA);
		expect(rateGateFor('https://api.example.test', 'cred-1', runB)).toBe(gate);
		expect(rateGateFor('https://api.example.test', 'cred-2', runA)).not.toBe(gate);
		expect(rateGateFor('https://other.example.test', 'cred-1', runA)).not.toBe(gate);
	});

	it('a closed gate holds the other runs; it opens when its time is up', () => {
		const now = 1_000_000;
		rateGateFor('https://closing.example.test', 'cred-1', runA).closeFor(6000, now);
		expect(rateGateFor('https://closing.example.test', 'cred-1', runB).waitMs(now + 1000)).toBe(5000);
		expect(rateGateFor('https://closing.example.test', 'cred-2', runB).waitMs(now + 1000)).toBe(0);
		expect(rateGateFor('https://closing.example.test', 'cred-1', runB).waitMs(now + 6000)).toBe(0);
	});

	it('a credential without an id gets a gate for its node run only', () => {
		const gate = rateGateFor('https://api.example.test', '', runA);
		expect(rateGateFor('https://api.example.test', '', runA)).toBe(gate);
		expect(rateGateFor('https://api.example.test', '', runB)).not.toBe(gate);
	});

	it('keeps at most about MAX_OPEN_GATES open gates, but never drops a closed one', () => {
		const now = Date.now();
		const closed = rateGateFor('https://kept.example.test', 'cred-closed', runA, now);
		closed.closeFor(60_000, now);
		for (let i = 0; i < MAX_OPEN_GATES * 3; i++) rateGateFor('https://many.example.test', `cred-${i}`, runA, now);
		expect(sharedGateCount()).toBeLessThanOrEqual(MAX_OPEN_GATES + 1);
		expect(rateGateFor('https://kept.example.test', 'cred-closed', runB, now)).toBe(closed);
	});
});

describe('rate gate across node runs (real HTTP, sandbox throttling for 6 s)', () => {
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startSandbox({ tokens: [GOOD_TOKEN], customAttributes: ['loyalty_tier'] });
	});
	afterAll(async () => await sandbox.close());
	beforeEach(() => sandbox.reset());

	const update = updateParameters({ requestOptions: { retryDelay: 0.05, maxRetryWait: 30 } });
	const fans = (prefix: string) => items(...Array.from({ length: 3 }, (_, i) => ({ user_id: `${prefix}${i}`, props: { loyalty_tier: 'gold' } })));
	const rateLimited = (path: string) => sandbox.state.requests.filter((r) => r.path === path && r.status === 429);

	/** Run A meets the throttle first; run B starts while A waits. Returns the 429s each run got. */
	async function twoRuns(baseUrlB: string): Promise<{ a: number; b: number }> {
		sandbox.faults.add({ kind: 'status', status: 429, retryAfter: '6', windowMs: 6000, path: 'update_user' });
		const runA = runFanPass(sandbox, { parameters: update, items: fans('a') });
		while (sandbox.faults.injected.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
		const runB = runFanPass(sandbox, { parameters: update, items: fans('b'), baseUrl: baseUrlB });
		const [resultA, resultB] = await Promise.all([runA, runB]);
		expect([resultA.error, resultB.error]).toEqual([undefined, undefined]);
		expect(Object.keys(Object.fromEntries(sandbox.state.users)).sort()).toEqual(['a0', 'a1', 'a2', 'b0', 'b1', 'b2']);
		const all = rateLimited('/api/v1/update_user');
		const b = all.filter((r) => JSON.stringify(r.body).includes('"b0"')).length;
		return { a: all.length - b, b };
	}

	it('the same API Host and credential: run B waits out run A\'s pause and gets no 429 of its own', async () => {
		expect(await twoRuns(sandbox.url)).toEqual({ a: 1, b: 0 });
	}, 30_000);

	it('another API Host (the same sandbox as localhost): run B meets the throttle itself', async () => {
		expect(await twoRuns(sandbox.url.replace('127.0.0.1', 'localhost'))).toEqual({ a: 1, b: 1 });
	}, 30_000);
});
