/** The benchmark's verdict on the sandbox's state, against the real sandbox (its summary endpoint). */
import { judgeState, queueCaseSize, type SandboxSummary } from '../../scripts/bench/cases';
import { executionBodies } from '../../scripts/bench/queueCase';
import { expectedSegmentIds, expectedUsers, generateItems, SEGMENT, type ContactsInput, type UsersInput } from '../../scripts/bench/inputs';
import { startSandbox, type SandboxHandle } from '../../sandbox/server';
import { call } from '../sandbox/helpers';

let sandbox: SandboxHandle;
beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

const summary = async () => (await (await fetch(`${sandbox.url}/__sandbox/summary?users=1`)).json()) as SandboxSummary;

describe('bench inputs', () => {
	it('one contact per item, or pages of IDs: the same IDs either way', () => {
		const single: ContactsInput = { kind: 'contacts', count: 2500, perItem: 1 };
		const paged: ContactsInput = { kind: 'contacts', count: 2500, perItem: 1000 };
		expect(generateItems(single)).toHaveLength(2500);
		expect(generateItems(paged)).toHaveLength(3);
		expect(expectedSegmentIds(paged)).toEqual(expectedSegmentIds(single));
		expect(new Set(expectedSegmentIds(single)).size).toBe(2500);
	});

	it('users get set i % sets: 10 sets repeat, N sets are all distinct', () => {
		const sets = (input: UsersInput) => new Set([...expectedUsers(input).values()].map((u) => JSON.stringify(u))).size;
		expect(sets({ kind: 'users', count: 100, sets: 10 })).toBe(10);
		expect(sets({ kind: 'users', count: 100, sets: 100 })).toBe(100);
	});
});

describe('judgeState', () => {
	const contacts: ContactsInput = { kind: 'contacts', count: 50, perItem: 1 };
	const users: UsersInput = { kind: 'users', count: 20, sets: 4 };

	it('a segment with exactly the input is correct; one ID short or one too many is not', async () => {
		const ids = expectedSegmentIds(contacts);
		await call(sandbox, '/api/v1/segments', { ...SEGMENT, userIds: [...ids].reverse() });
		expect(judgeState(contacts, await summary())).toEqual({ correct: true, detail: '50 members (json mode), exactly the input' });
		await call(sandbox, '/api/v1/segments', { ...SEGMENT, userIds: ids.slice(1) });
		expect(judgeState(contacts, await summary())).toMatchObject({ correct: false, detail: '49 members, expected 50' });
		await call(sandbox, '/api/v1/segments', { ...SEGMENT, userIds: [...ids.slice(1), '99999999'] });
		expect(judgeState(contacts, await summary())).toMatchObject({ correct: false, detail: 'members differ from the input (same count)' });
	});

	it('users with exactly their properties are correct; a missing user or a wrong value is not', async () => {
		const expected = expectedUsers(users);
		for (const [id, attributes] of expected) {
			await call(sandbox, '/api/v1/update_user', { userIds: [id], userProperties: { ...attributes.user_properties, ...attributes.custom } });
		}
		expect(judgeState(users, await summary())).toEqual({ correct: true, detail: '20 users, each with exactly its properties' });
		const [first] = expected.keys();
		await call(sandbox, '/api/v1/update_user', { userIds: [first], userProperties: { vip_level: 99 } });
		expect(judgeState(users, await summary())).toMatchObject({ correct: false, detail: '0 users missing, 1 with wrong properties, 0 unexpected' });
		sandbox.reset();
		expect(judgeState(users, await summary())).toMatchObject({ correct: false, detail: '20 users missing, 0 with wrong properties, 0 unexpected' });
	});
});

describe('case 8 (executions at once)', () => {
	it('20 executions of 500 users at full size, 4 of 25 quick; every user its own property set', () => {
		expect(queueCaseSize(1)).toEqual({ executions: 20, usersEach: 500, input: { kind: 'users', count: 10_000, sets: 10_000 } });
		expect(queueCaseSize(0.01)).toEqual({ executions: 4, usersEach: 25, input: { kind: 'users', count: 100, sets: 100 } });
	});

	it("the webhook bodies are consecutive slices of the input: together exactly the users judgeState expects", () => {
		const { executions, input } = queueCaseSize(0.01);
		const bodies = executionBodies(input, executions);
		expect(bodies.map((b) => b.users.length)).toEqual([25, 25, 25, 25]);
		const sent = bodies.flatMap((b) => b.users).map((u) => String(u.userId));
		expect(new Set(sent).size).toBe(100);
		expect(sent).toEqual([...expectedUsers(input).keys()]);
	});
});
