/**
 * POST /api/v1/segments, JSON mode.
 */
import { startSandbox, type SandboxHandle } from '../../sandbox/server';
import { call } from './helpers';

let sandbox: SandboxHandle;

beforeAll(async () => {
	sandbox = await startSandbox();
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => sandbox.reset());

const segment = (overrides: Record<string, unknown> = {}) => ({
	title: 'User Group 1',
	tag: 'userGroup1',
	userIds: ['12345', '54321', '56435'],
	...overrides,
});

describe('create', () => {
	it('creates an unknown tag with all its fields and answers with the queued count', async () => {
		const res = await call(sandbox, '/api/v1/segments', segment({ sourceType: 2, notes: 'batch 7' }));
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ status: 200, messages: ['Segment User Group 1 queued 3 for import'], errors: [] });
		expect(sandbox.state.segments.get('userGroup1')).toMatchObject({
			tag: 'userGroup1',
			title: 'User Group 1',
			sourceType: 2,
			notes: 'batch 7',
			userIds: ['12345', '54321', '56435'],
			mode: 'json',
			version: 1,
			lastImportId: null,
		});
	});

	it('defaults sourceType to 0 and notes to null', async () => {
		await call(sandbox, '/api/v1/segments', segment());
		expect(sandbox.state.segments.get('userGroup1')).toMatchObject({ sourceType: 0, notes: null });
	});

	it('returns no import id in JSON mode', async () => {
		const res = await call(sandbox, '/api/v1/segments', segment());
		expect(res.body).not.toHaveProperty('firebase_imported_segment_id');
		expect(sandbox.state.imports.size).toBe(0);
	});
});

describe('rinse and replace', () => {
	it('a second call with the same tag leaves only the second call\'s IDs', async () => {
		await call(sandbox, '/api/v1/segments', segment({ userIds: ['a', 'b', 'c'] }));
		const first = sandbox.state.segments.get('userGroup1')!;
		const res = await call(sandbox, '/api/v1/segments', segment({ title: 'Renamed', userIds: ['c', 'd'] }));
		expect(res.body.messages).toEqual(['Segment Renamed queued 2 for import']);
		const second = sandbox.state.segments.get('userGroup1')!;
		expect(second.userIds).toEqual(['c', 'd']);
		expect(second.title).toBe('Renamed');
		expect(second.version).toBe(2);
		expect(second.createdAt).toBe(first.createdAt);
		expect(sandbox.state.segments.size).toBe(1);
	});

	it('tags are case-sensitive keys', async () => {
		await call(sandbox, '/api/v1/segments', segment({ tag: 'groupA' }));
		await call(sandbox, '/api/v1/segments', segment({ tag: 'GroupA', userIds: ['x'] }));
		expect([...sandbox.state.segments.keys()].sort()).toEqual(['GroupA', 'groupA']);
	});
});

describe('required fields', () => {
	it.each([
		[{}, 'title, tag, userIds'],
		[{ notes: 'x' }, 'title, tag, userIds'],
		[{ title: 'T' }, 'tag, userIds'],
		[{ tag: 't' }, 'title, userIds'],
		[{ title: 'T', tag: 't' }, 'userIds'],
		[{ title: '', tag: 't', userIds: ['1'] }, 'title'],
		[{ title: '   ', tag: 't', userIds: ['1'] }, 'title'],
		[{ title: 'T', tag: null, userIds: ['1'] }, 'tag'],
		[{ title: 'T', tag: 't', userIds: [] }, 'userIds'],
		[{ title: 'T', tag: 't', userIds: {} }, 'userIds'],
	])('%j -> Missing required fields: %s', async (body, fields) => {
		const res = await call(sandbox, '/api/v1/segments', body);
		expect(res.status).toBe(400);
		expect(res.body).toMatchObject({ status: 400, messages: [], errors: [`Missing required fields: ${fields}`] });
		expect(sandbox.state.segments.size).toBe(0);
	});

	it('an empty body with a good token is the 400 the credential test relies on', async () => {
		const response = await fetch(`${sandbox.url}/api/v1/segments`, {
			method: 'POST',
			headers: { Authorization: 'Bearer sandbox-token' },
		});
		expect(response.status).toBe(400);
		expect(((await response.json()) as { errors: string[] }).errors).toEqual(['Missing required fields: title, tag, userIds']);
	});
});

describe('field validation', () => {
	it.each(['user group', 'user-group', 'user_group', 'grüppe', 'tag!'])('rejects tag %j', async (tag) => {
		const res = await call(sandbox, '/api/v1/segments', segment({ tag }));
		expect(res.status).toBe(400);
		expect(res.body.errors).toEqual([
			`Invalid field "tag": must be alphanumeric (letters and digits only, no spaces), got "${tag}"`,
		]);
	});

	it('rejects a non-string title or tag', async () => {
		const res = await call(sandbox, '/api/v1/segments', segment({ title: 5, tag: 7 }));
		expect(res.status).toBe(400);
		expect(res.body.errors).toEqual(['Invalid field "title": must be a string', 'Invalid field "tag": must be a string']);
	});

	it.each([0, 1, 2, 3, 4])('accepts sourceType %i', async (sourceType) => {
		const res = await call(sandbox, '/api/v1/segments', segment({ sourceType }));
		expect(res.status).toBe(200);
		expect(sandbox.state.segments.get('userGroup1')!.sourceType).toBe(sourceType);
	});

	it.each([5, -1, 1.5, '1', true])('rejects sourceType %j', async (sourceType) => {
		const res = await call(sandbox, '/api/v1/segments', segment({ sourceType }));
		expect(res.status).toBe(400);
		expect(res.body.errors).toEqual(['Invalid field "sourceType": must be an integer from 0 to 4']);
	});

	it('rejects non-string notes', async () => {
		const res = await call(sandbox, '/api/v1/segments', segment({ notes: 42 }));
		expect(res.status).toBe(400);
		expect(res.body.errors).toEqual(['Invalid field "notes": must be a string']);
	});

	it('accepts numeric user IDs and stores them as strings', async () => {
		const res = await call(sandbox, '/api/v1/segments', segment({ userIds: [12345, '54321'] }));
		expect(res.status).toBe(200);
		expect(sandbox.state.segments.get('userGroup1')!.userIds).toEqual(['12345', '54321']);
	});

	it('rejects numeric IDs beyond the safe-integer range (already corrupted by JSON)', async () => {
		const res = await call(sandbox, '/api/v1/segments', '{"title":"T","tag":"t","userIds":[12345678901234567890]}');
		expect(res.status).toBe(400);
		expect(res.body.errors[0]).toMatch(/^Invalid field "userIds\[0\]": numeric user ID .* is not a safe integer; send IDs as strings$/);
	});

	it('rejects user IDs that are not strings or numbers, naming each', async () => {
		const res = await call(sandbox, '/api/v1/segments', segment({ userIds: ['ok', null, { id: 1 }, true, ['x'], ''] }));
		expect(res.status).toBe(400);
		expect(res.body.errors).toEqual([
			'Invalid field "userIds[1]": user IDs must be strings or numbers, got null',
			'Invalid field "userIds[2]": user IDs must be strings or numbers, got object',
			'Invalid field "userIds[3]": user IDs must be strings or numbers, got boolean',
			'Invalid field "userIds[4]": user IDs must be strings or numbers, got array',
			'Invalid field "userIds[5]": user ID must not be empty',
		]);
		expect(sandbox.state.segments.size).toBe(0);
	});

	it('lists at most 10 bad IDs', async () => {
		const res = await call(sandbox, '/api/v1/segments', segment({ userIds: Array.from({ length: 15 }, () => null) }));
		expect(res.body.errors).toHaveLength(11);
		expect(res.body.errors[10]).toBe('... and 5 more invalid user IDs');
	});

	it('rejects userIds that is not an array', async () => {
		const res = await call(sandbox, '/api/v1/segments', segment({ userIds: '12345' }));
		expect(res.status).toBe(400);
		expect(res.body.errors).toEqual(['Invalid field "userIds": must be a non-empty array of user IDs']);
	});

	it('counts duplicate IDs once and says so', async () => {
		const res = await call(sandbox, '/api/v1/segments', segment({ userIds: ['a', 'b', 'a', 'a'] }));
		expect(res.body.messages).toEqual([
			'Segment User Group 1 queued 2 for import',
			'Warning: 2 duplicate user IDs counted once',
		]);
		expect(sandbox.state.segments.get('userGroup1')!.userIds).toEqual(['a', 'b']);
	});
});
