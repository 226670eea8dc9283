import type { SandboxHandle } from '../../sandbox/server';
import { BAD_TOKEN, items, requestsTo, runFanPass, startTestSandbox } from './fixtures';

const SEGMENTS = '/api/v1/segments';

const upsert = (overrides: Record<string, unknown> = {}) => ({
	resource: 'segment',
	operation: 'upsert',
	title: 'Season Ticket Holders',
	tag: 'sth2026',
	sourceType: 0,
	userIdSource: 'items',
	userId: '={{ $json.user_id }}',
	simplify: false,
	options: {},
	...overrides,
});

describe('Segment → Upsert, over HTTP against the sandbox', () => {
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startTestSandbox();
	});
	afterAll(async () => await sandbox.close());
	beforeEach(() => sandbox.reset());

	it('sends all items with one tag as ONE request, so rinse-and-replace keeps every user', async () => {
		const contacts = Array.from({ length: 250 }, (_, i) => ({ user_id: `fan-${i}` }));
		const result = await runFanPass(sandbox, { parameters: upsert(), items: items(...contacts) });

		expect(result.error).toBeUndefined();
		const sent = requestsTo(sandbox, SEGMENTS);
		expect(sent).toHaveLength(1);
		expect(sent[0].body).toEqual({
			title: 'Season Ticket Holders',
			tag: 'sth2026',
			sourceType: 0,
			userIds: contacts.map((contact) => contact.user_id),
		});
		expect(sandbox.state.segments.get('sth2026')?.userIds).toHaveLength(250);

		expect(result.output).toHaveLength(1);
		const [out] = result.output;
		expect(out.json).toMatchObject({ tag: 'sth2026', userCount: 250, itemCount: 250, duplicatesRemoved: 0, emptyRemoved: 0 });
		expect(out.json.correlationId).toEqual(sent[0].response.correlationId);
		expect(out.json.messages).toEqual(['Segment Season Ticket Holders queued 250 for import']);
		expect(out.pairedItem).toEqual(contacts.map((_, item) => ({ item })));
	});

	it('sends one request per tag when items resolve to different tags', async () => {
		const result = await runFanPass(sandbox, {
			parameters: upsert({ tag: '={{ $json.tier }}Fans', title: '={{ $json.tier }} fans' }),
			items: items(
				{ user_id: '1', tier: 'gold' },
				{ user_id: '2', tier: 'silver' },
				{ user_id: '3', tier: 'gold' },
				{ user_id: '4', tier: 'silver' },
				{ user_id: '5', tier: 'bronze' },
			),
		});
		expect(result.error).toBeUndefined();
		expect(requestsTo(sandbox, SEGMENTS)).toHaveLength(3);
		expect(sandbox.state.segments.get('goldFans')?.userIds).toEqual(['1', '3']);
		expect(sandbox.state.segments.get('silverFans')?.userIds).toEqual(['2', '4']);
		expect(sandbox.state.segments.get('bronzeFans')?.userIds).toEqual(['5']);
		expect(result.output.map((item) => [item.json.tag, item.pairedItem])).toEqual([
			['goldFans', [{ item: 0 }, { item: 2 }]],
			['silverFans', [{ item: 1 }, { item: 3 }]],
			['bronzeFans', { item: 4 }],
		]);
	});

	it('trims, stringifies and de-duplicates IDs, drops empty ones and reports the counts', async () => {
		const result = await runFanPass(sandbox, {
			parameters: upsert(),
			items: items(
				{ user_id: ' 42 ' },
				{ user_id: 42 },
				{ user_id: ['7', 8, '  '] },
				{ user_id: '' },
				{ user_id: null },
				{ user_id: '7' },
			),
		});
		expect(result.error).toBeUndefined();
		expect(requestsTo(sandbox, SEGMENTS)[0].body.userIds).toEqual(['42', '7', '8']);
		expect(result.output[0].json).toMatchObject({ userCount: 3, idsReceived: 8, duplicatesRemoved: 2, emptyRemoved: 3 });
	});

	it('takes IDs from a comma/newline separated list', async () => {
		const result = await runFanPass(sandbox, {
			parameters: upsert({ userIdSource: 'list', userIdList: '12345, 54321\n56435,,12345', options: { notes: 'batch 7' } }),
			items: items({}),
		});
		expect(result.error).toBeUndefined();
		const [request] = requestsTo(sandbox, SEGMENTS);
		expect(request.body).toEqual({ title: 'Season Ticket Holders', tag: 'sth2026', sourceType: 0, userIds: ['12345', '54321', '56435'], notes: 'batch 7' });
		expect(result.output[0].json).toMatchObject({ duplicatesRemoved: 1, emptyRemoved: 1 });
	});

	it('takes IDs from an array expression in list mode', async () => {
		const result = await runFanPass(sandbox, {
			parameters: upsert({ userIdSource: 'list', userIdList: '={{ $json.members }}', sourceType: 2 }),
			items: items({ members: ['a1', 'b2'] }, { members: ['c3'] }),
		});
		expect(result.error).toBeUndefined();
		expect(requestsTo(sandbox, SEGMENTS)[0].body).toMatchObject({ userIds: ['a1', 'b2', 'c3'], sourceType: 2 });
		expect(result.output[0].json.sourceTypeName).toBe('Loyalty ID (Coming Soon)');
	});

	it('replaces the members of an existing segment (rinse and replace)', async () => {
		await runFanPass(sandbox, { parameters: upsert(), items: items({ user_id: 'old1' }, { user_id: 'old2' }) });
		await runFanPass(sandbox, { parameters: upsert(), items: items({ user_id: 'new1' }) });
		expect(sandbox.state.segments.get('sth2026')?.userIds).toEqual(['new1']);
	});

	it.each([
		['vip fans', 'contains a space'],
		['vip-fans', 'letters and digits only'],
		['', 'empty'],
		['fänclub', 'letters and digits only'],
	])('rejects the tag %p before any request, naming the item', async (tag, problem) => {
		const result = await runFanPass(sandbox, {
			parameters: upsert({ tag: '={{ $json.tag }}' }),
			items: items({ user_id: '1', tag: 'okTag' }, { user_id: '2', tag }),
		});
		expect(result.error?.message).toContain('Item 1');
		expect(result.error?.message).toContain(problem);
		expect(sandbox.state.requests).toHaveLength(0);
	});

	it('with continueOnFail, a bad tag becomes an error item for that item only', async () => {
		const result = await runFanPass(sandbox, {
			continueOnFail: true,
			parameters: upsert({ tag: '={{ $json.tag }}' }),
			items: items({ user_id: '1', tag: 'okTag' }, { user_id: '2', tag: 'bad tag' }, { user_id: '3', tag: 'okTag' }),
		});
		expect(result.error).toBeUndefined();
		expect(requestsTo(sandbox, SEGMENTS)).toHaveLength(1);
		const errors = result.output.filter((item) => item.json.error);
		expect(errors).toHaveLength(1);
		expect(errors[0].pairedItem).toEqual({ item: 1 });
		expect(errors[0].json.error).toContain('Item 1: the segment tag "bad tag" contains a space');
		const ok = result.output.find((item) => item.json.tag === 'okTag');
		expect(ok?.pairedItem).toEqual([{ item: 0 }, { item: 2 }]);
	});

	it('refuses an empty ID list with a clear error and sends nothing', async () => {
		const result = await runFanPass(sandbox, { parameters: upsert(), items: items({ user_id: '' }, { user_id: null }) });
		expect(result.error?.message).toContain('segment "sth2026" has no user IDs');
		expect(result.error?.message).toContain('2 empty values');
		expect(sandbox.state.requests).toHaveLength(0);
	});

	it('can skip an empty segment and say so in the output', async () => {
		const result = await runFanPass(sandbox, {
			parameters: upsert({ options: { emptyList: 'skip' } }),
			items: items({ user_id: '' }),
		});
		expect(result.error).toBeUndefined();
		expect(sandbox.state.requests).toHaveLength(0);
		expect(result.output).toEqual([
			expect.objectContaining({ json: expect.objectContaining({ skipped: true, tag: 'sth2026', userCount: 0 }), pairedItem: { item: 0 } }),
		]);
	});

	it.each([
		[{ user_id: { id: 1 } }, 'the user ID is an object'],
		[{ user_id: true }, 'the user ID is the boolean true'],
		[{ user_id: 12345678901234567890 }, 'the user ID is the number 12345678901234567000, too large to be exact'],
		[{ user_id: ['1', ['2', {}]] }, 'the user ID at [1][1] is an object'],
	])('rejects the unusable ID in %p naming the item', async (json, problem) => {
		const result = await runFanPass(sandbox, { parameters: upsert(), items: items({ user_id: 'ok' }, json) });
		expect(result.error?.message).toContain(`Item 1: ${problem}`);
		expect(sandbox.state.requests).toHaveLength(0);
	});

	it('refuses two titles for one tag, naming both items', async () => {
		const result = await runFanPass(sandbox, {
			parameters: upsert({ title: '={{ $json.title }}' }),
			items: items({ user_id: '1', title: 'A' }, { user_id: '2', title: 'B' }),
		});
		expect(result.error?.message).toContain('Item 1: gives segment "sth2026" the title "B", but item 0 gave it "A"');
		expect(sandbox.state.requests).toHaveLength(0);
	});

	it('turns a 401 into an error that points at the credential, without the token', async () => {
		const result = await runFanPass(sandbox, { token: BAD_TOKEN, parameters: upsert(), items: items({ user_id: '1' }) });
		expect(result.error?.message).toContain('token is missing or invalid');
		expect(result.error?.message).toContain('credential');
		expect(result.error?.description).toContain('Fanreach Portal');
		expect(result.error?.httpCode).toBe('401');
		expect(JSON.stringify(result.error)).not.toContain(BAD_TOKEN);
		expect(String(result.error?.stack)).not.toContain(BAD_TOKEN);
	});

	it('with continueOnFail, a rejected request gives one error item paired to all its items', async () => {
		const result = await runFanPass(sandbox, {
			token: BAD_TOKEN,
			continueOnFail: true,
			parameters: upsert(),
			items: items({ user_id: '1' }, { user_id: '2' }),
		});
		expect(result.error).toBeUndefined();
		expect(result.output).toHaveLength(1);
		expect(result.output[0].json).toMatchObject({ httpCode: '401', tag: 'sth2026' });
		expect(result.output[0].json.correlationId).toEqual(expect.any(String));
		expect(result.output[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
		expect(JSON.stringify(result.output)).not.toContain(BAD_TOKEN);
	});

	it('refuses a source type outside 0-4 before any request', async () => {
		const refused = await runFanPass(sandbox, { parameters: upsert({ sourceType: 7 }), items: items({ user_id: '1' }) });
		expect(refused.error?.message).toContain('Source Type is 7; it must be one of 0-4');
		expect(sandbox.state.requests).toHaveLength(0);
	});

	it('refuses an API host that is not an http(s) URL', async () => {
		const result = await runFanPass(sandbox, { baseUrl: 'fanpass-api.fanreachdata.io', parameters: upsert(), items: items({ user_id: '1' }) });
		expect(result.error?.message).toContain('is not an http(s) URL');
	});

	it('refuses plain http to a remote host unless the credential allows it', async () => {
		const result = await runFanPass(sandbox, { baseUrl: 'http://fanpass.example.com', parameters: upsert(), items: items({ user_id: '1' }) });
		expect(result.error?.message).toContain('uses plain http:// to a remote host');
		expect(sandbox.state.requests).toHaveLength(0);
	});

	it('accepts an API host with trailing slashes', async () => {
		const result = await runFanPass(sandbox, { baseUrl: `${sandbox.url}//`, parameters: upsert(), items: items({ user_id: '1' }) });
		expect(result.error).toBeUndefined();
		expect(requestsTo(sandbox, SEGMENTS)).toHaveLength(1);
	});
});

describe('API host checks', () => {
	it.each([
		['https://fanpass-api.fanreachdata.io/', false, 'https://fanpass-api.fanreachdata.io'],
		['http://127.0.0.1:5680', false, 'http://127.0.0.1:5680'],
		['http://localhost:5680//', false, 'http://localhost:5680'],
		['http://fanpass.internal', true, 'http://fanpass.internal'],
	])('accepts %p (insecure allowed: %p)', async (value, allow, expected) => {
		const { normaliseBaseUrl } = await import('../../nodes/FanPass/transport');
		expect(normaliseBaseUrl(value, allow)).toBe(expected);
	});

	it.each(['ftp://host', 'fanpass-api.fanreachdata.io', '', 'http://fanpass.internal'])('refuses %p', async (value) => {
		const { normaliseBaseUrl } = await import('../../nodes/FanPass/transport');
		expect(() => normaliseBaseUrl(value)).toThrow(/API Host in the FanPass credential/);
	});
});
