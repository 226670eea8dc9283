/**
 * The floor's client and per-item work, against the real sandbox: the sandbox counts the requests in
 * flight, the client's concurrency shows up there, and the floor's bodies equal what a plain client sends.
 */
import { createHash } from 'node:crypto';
import { sendAll, type FloorRequest } from '../../scripts/bench/floorClient';
import { idsCsv, segmentWork, usersWork, type RecordedRequest } from '../../scripts/bench/floorWork';
import { generateItems, SEGMENT } from '../../scripts/bench/inputs';
import { startSandbox, type SandboxHandle } from '../../sandbox/server';
import { call, TOKEN } from '../sandbox/helpers';

let sandbox: SandboxHandle;
beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

const peaks = async () => ((await (await fetch(`${sandbox.url}/__sandbox/summary`)).json()) as { requests: { peakInFlight: number; peakOpenConnections: number } }).requests;
const peakInFlight = async () => (await peaks()).peakInFlight;
const update = (userId: string): FloorRequest => ({ path: '/api/v1/update_user', contentType: 'application/json', body: Buffer.from(JSON.stringify({ userIds: [userId], userProperties: { favorite_team: 'Hawks' } })) });

describe('requests in flight at the sandbox', () => {
	it('delayed requests sent 4 at a time are 4 in flight; one at a time, 1', async () => {
		sandbox.faults.add({ kind: 'delay', delayMs: 150, count: 8 });
		const answers = await sendAll(sandbox.url, TOKEN, ['1', '2', '3', '4', '5', '6', '7', '8'].map(update), 4);
		expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
		expect(await peakInFlight()).toBe(4);
		expect(sandbox.state.users.size).toBe(8);

		sandbox.reset();
		expect(await peakInFlight()).toBe(0);
		sandbox.faults.add({ kind: 'delay', delayMs: 50, count: 3 });
		await sendAll(sandbox.url, TOKEN, ['a', 'b', 'c'].map(update), 1);
		expect(await peakInFlight()).toBe(1);
	});

	it('connections open at once: a held request and the ones that arrive meanwhile on their own connections', async () => {
		sandbox.faults.add({ kind: 'delay', delayMs: 150, count: 1 });
		await sendAll(sandbox.url, TOKEN, ['1', '2', '3', '4'].map(update), 4);
		const { peakInFlight: requests, peakOpenConnections: connections } = await peaks();
		expect(requests).toBeGreaterThanOrEqual(2);
		expect(connections).toBeGreaterThanOrEqual(requests);
		expect(connections).toBeLessThanOrEqual(4);
		// the summary's own connection (a control request) does not count
		await peaks();
		expect((await peaks()).peakOpenConnections).toBe(connections);
	});

	it('the client reads FanPass errors too (a bad token gets the 401 envelope)', async () => {
		const [answer] = await sendAll(sandbox.url, 'not-the-token', [update('1')], 1);
		expect(answer.status).toBe(401);
		expect((answer.body as { errors: string[] }).errors[0]).toMatch(/token is missing or invalid/);
	});
});

describe('the floor builds the same bodies as the requests it is compared with', () => {
	const contacts = generateItems({ kind: 'contacts', count: 300, perItem: 1 });

	it('a JSON segment: the body equals the one recorded, and it is refused when it does not', async () => {
		const ids = contacts.map((item) => String(item.json.ticketing_id));
		await call(sandbox, '/api/v1/segments', { title: SEGMENT.title, tag: SEGMENT.tag, sourceType: 0, userIds: ids });
		const recorded = sandbox.state.requests[0] as unknown as RecordedRequest;
		const work = segmentWork(contacts, 'ticketing_id', recorded);
		expect(work).toMatchObject({ identical: true, detail: 'the same JSON body' });
		const [answer] = await sendAll(sandbox.url, TOKEN, work.requests, 1);
		expect(answer.status).toBe(200);
		expect(sandbox.state.segments.get(SEGMENT.tag)?.userIds).toEqual(ids);

		const fewer = segmentWork(contacts.slice(1), 'ticketing_id', recorded);
		expect(fewer.identical).toBe(false);
	});

	it('a file segment: the CSV, uploaded as multipart, is what the sandbox stores and digests', async () => {
		const ids = [' 7 ', '8', '7', 'has,comma', '', 'quote"d'];
		const items = ids.map((id) => ({ json: { ticketing_id: id } }));
		const csv = idsCsv(['7', '8', 'has,comma', 'quote"d']);
		expect(csv.toString()).toBe('user_id\r\n7\r\n8\r\n"has,comma"\r\n"quote""d"\r\n');
		const recorded: RecordedRequest = {
			path: '/api/v1/segments',
			contentType: 'multipart/form-data',
			multipart: { fields: { title: SEGMENT.title, tag: SEGMENT.tag, sourceType: '0' }, file: { fileName: 'crmExport.csv', mimeType: 'text/csv', size: csv.length, sha256: createHash('sha256').update(csv).digest('hex') } },
		};
		const work = segmentWork(items, 'ticketing_id', recorded);
		expect(work).toMatchObject({ identical: true, fileBytes: csv.length });
		const [answer] = await sendAll(sandbox.url, TOKEN, work.requests, 1);
		expect(answer.status).toBe(200);
		const file = sandbox.state.requests[0].multipart?.file;
		expect(file?.sha256).toBe(recorded.multipart?.file?.sha256);
		expect(sandbox.state.segments.get(SEGMENT.tag)?.userIds).toEqual(['7', '8', 'has,comma', 'quote"d']);
	});

	it('users: one body per property set and batch, matched in any order', async () => {
		const users = generateItems({ kind: 'users', count: 25, sets: 5 });
		const work = usersWork(users, 3, []);
		expect(work.requests).toHaveLength(10); // 5 sets of 5 users, batches of 3
		await sendAll(sandbox.url, TOKEN, [...work.requests].reverse(), 2);
		const recorded = sandbox.state.requests as unknown as RecordedRequest[];
		expect(usersWork(users, 3, recorded)).toMatchObject({ identical: true, detail: 'the same 10 JSON bodies' });
		expect(usersWork(users, 5, recorded).identical).toBe(false);
		expect(sandbox.state.users.size).toBe(25);
	});
});
