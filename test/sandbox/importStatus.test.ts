/**
 * POST /api/v1/segment_import_status: state progression over importDurationMs, the failure and
 * completion hooks, and the request rules.
 */
import { startSandbox, type SandboxHandle } from '../../sandbox/server';
import { call, csv, ids, upload } from './helpers';

let clock = 1_700_000_000_000;
let sandbox: SandboxHandle;

beforeAll(async () => {
	// 1000 ms: pending for the first 200 ms, processing until 1000 ms.
	sandbox = await startSandbox({ importDurationMs: 1000, now: () => clock });
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => {
	sandbox.reset();
	clock = 1_700_000_000_000;
});

async function importUsers(count: number, extraRows: string[][] = []): Promise<number> {
	const rows = [['user_id', 'sth'], ...ids(count).map((id) => [id, 'yes']), ...extraRows];
	const res = await upload(sandbox, { title: 'Imported', tag: 'imported' }, { name: 'users.csv', content: csv(rows) });
	expect(res.status).toBe(200);
	return res.body.firebase_imported_segment_id as number;
}

const status = (body: unknown) => call(sandbox, '/api/v1/segment_import_status', body);

describe('progression', () => {
	it('goes pending -> processing (done advancing) -> completed', async () => {
		const id = await importUsers(20);
		const start = clock;
		const at = async (ms: number) => {
			clock = start + ms;
			const res = await status({ firebase_imported_segment_id: id });
			expect(res.status).toBe(200);
			expect(res.body.messages).toEqual([]);
			expect(res.body.errors).toEqual([]);
			return res.body.import_status;
		};
		expect(await at(0)).toEqual({ state: 'pending', total_users: 20, done: 0, remaining: 20, percent: null, firestore_status: null });
		expect(await at(199)).toMatchObject({ state: 'pending' });
		expect(await at(200)).toEqual({ state: 'processing', total_users: 20, done: 0, remaining: 20, percent: 0, firestore_status: null });
		expect(await at(400)).toEqual({ state: 'processing', total_users: 20, done: 5, remaining: 15, percent: 25, firestore_status: null });
		expect(await at(680)).toEqual({ state: 'processing', total_users: 20, done: 12, remaining: 8, percent: 60, firestore_status: null });
		expect(await at(999)).toMatchObject({ state: 'processing', done: 19, remaining: 1, percent: 95 });
		expect(await at(1000)).toEqual({ state: 'completed', total_users: 20, done: 20, remaining: 0, percent: 100, firestore_status: 'committed' });
		expect(await at(60_000)).toMatchObject({ state: 'completed' });
	});

	it('done + remaining = total_users at every step, and done never goes back', async () => {
		const id = await importUsers(7);
		const start = clock;
		let lastDone = 0;
		for (let ms = 0; ms <= 1100; ms += 37) {
			clock = start + ms;
			const s = (await status({ firebase_imported_segment_id: id })).body.import_status as {
				done: number;
				remaining: number;
				total_users: number;
			};
			expect(s.done + s.remaining).toBe(s.total_users);
			expect(s.done).toBeGreaterThanOrEqual(lastDone);
			lastDone = s.done;
		}
		expect(lastDone).toBe(7);
	});

	it('runs on real time by default (no timers: computed on read)', async () => {
		const real = await startSandbox({ importDurationMs: 150 });
		try {
			const res = await upload(real, { title: 'T', tag: 't' }, { name: 'a.csv', content: 'a\nb\n' });
			const id = res.body.firebase_imported_segment_id;
			const first = await call(real, '/api/v1/segment_import_status', { firebase_imported_segment_id: id });
			expect(['pending', 'processing']).toContain((first.body.import_status as { state: string }).state);
			await new Promise((resolve) => setTimeout(resolve, 200));
			const later = await call(real, '/api/v1/segment_import_status', { firebase_imported_segment_id: id });
			expect((later.body.import_status as { state: string }).state).toBe('completed');
		} finally {
			await real.close();
		}
	});

	it('an import with rejected rows completes, reporting the rejections as warnings', async () => {
		const id = await importUsers(3, [['bad', 'yes', 'extra']]);
		clock += 1000;
		const res = await status({ firebase_imported_segment_id: id });
		expect(res.body.import_status).toMatchObject({ state: 'completed', total_users: 3 });
		expect(res.body.messages).toEqual([
			'Warning: 1 of 4 rows rejected',
			'Warning: row 5 rejected: column 3 has no header',
		]);
	});

	it('an import whose every row was rejected fails once pending is over', async () => {
		const res = await upload(sandbox, { title: 'T', tag: 't' }, { name: 'a.csv', content: csv([['id', 'shoe_size'], ['a', '1']]) });
		const id = res.body.firebase_imported_segment_id;
		expect((await status({ firebase_imported_segment_id: id })).body.import_status).toMatchObject({ state: 'pending' });
		clock += 200;
		const failed = await status({ firebase_imported_segment_id: id });
		expect(failed.status).toBe(200);
		expect(failed.body.import_status).toEqual({ state: 'failed', total_users: 0, done: 0, remaining: 0, percent: 0, firestore_status: 'failed' });
		expect(failed.body.messages).toEqual([
			'Import failed: every row in the file was rejected',
			'Warning: 1 of 1 rows rejected',
			'Warning: row 2 rejected: column "shoe_size" is not a platform user property or registered custom attribute',
		]);
	});
});

describe('test hooks', () => {
	it('handle.failImport freezes progress and fails the import', async () => {
		const id = await importUsers(10);
		clock += 600; // 50% of processing
		expect(sandbox.failImport(id, 'disk full')).toMatchObject({ state: 'failed', done: 5, remaining: 5, percent: 50 });
		clock += 5000;
		const res = await status({ firebase_imported_segment_id: id });
		expect(res.body.import_status).toEqual({ state: 'failed', total_users: 10, done: 5, remaining: 5, percent: 50, firestore_status: 'failed' });
		expect(res.body.messages).toEqual(['Import failed: disk full']);
	});

	it('POST /__sandbox/imports/:id/fail (no auth) fails it from another process', async () => {
		const id = await importUsers(4);
		const response = await fetch(`${sandbox.url}/__sandbox/imports/${id}/fail`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ reason: 'quota exceeded' }),
		});
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({
			ok: true,
			firebase_imported_segment_id: id,
			import_status: { state: 'failed', total_users: 4, done: 0, remaining: 4, percent: 0, firestore_status: 'failed' },
		});
		const res = await status({ firebase_imported_segment_id: id });
		expect(res.body.messages).toEqual(['Import failed: quota exceeded']);
	});

	it('the fail hook without a reason gives a default one', async () => {
		const id = await importUsers(1);
		await fetch(`${sandbox.url}/__sandbox/imports/${id}/fail`, { method: 'POST' });
		const res = await status({ firebase_imported_segment_id: id });
		expect(res.body.messages).toEqual(['Import failed: import failed (forced by the sandbox test hook)']);
	});

	it('POST /__sandbox/imports/:id/complete and handle.completeImport finish it at once', async () => {
		const a = await importUsers(3);
		const response = await fetch(`${sandbox.url}/__sandbox/imports/${a}/complete`, { method: 'POST' });
		expect(response.status).toBe(200);
		expect((await status({ firebase_imported_segment_id: a })).body.import_status).toMatchObject({ state: 'completed', done: 3 });
		const b = await importUsers(2);
		expect(sandbox.completeImport(b)).toMatchObject({ state: 'completed', done: 2, percent: 100 });
	});

	it('a finished import is not changed by the hooks', async () => {
		const id = await importUsers(2);
		clock += 1000;
		expect(sandbox.failImport(id)).toMatchObject({ state: 'completed' });
	});

	it('hooks answer 404 / null for unknown ids', async () => {
		const response = await fetch(`${sandbox.url}/__sandbox/imports/999/fail`, { method: 'POST' });
		expect(response.status).toBe(404);
		expect(sandbox.failImport(999)).toBeNull();
		expect(sandbox.importStatus(999)).toBeNull();
	});
});

describe('request rules', () => {
	it('accepts the segment_id alias and numeric strings', async () => {
		const id = await importUsers(2);
		for (const body of [{ segment_id: id }, { firebase_imported_segment_id: String(id) }, { segment_id: ` ${id} ` }]) {
			const res = await status(body);
			expect(res.status).toBe(200);
			expect(res.body.import_status).toMatchObject({ total_users: 2 });
		}
	});

	it.each([[{}], [{ firebase_imported_segment_id: null }], [{ firebase_imported_segment_id: '' }], [{ other: 1 }]])(
		'%j -> Missing required field: firebase_imported_segment_id',
		async (body) => {
			const res = await status(body);
			expect(res.status).toBe(400);
			expect(res.body).toMatchObject({ messages: [], errors: ['Missing required field: firebase_imported_segment_id'] });
		},
	);

	it.each([['abc'], [1.5], [-3], [true], [[1001]]])('rejects id %j', async (value) => {
		const res = await status({ firebase_imported_segment_id: value });
		expect(res.status).toBe(400);
		expect(res.body.errors).toEqual(['Invalid field "firebase_imported_segment_id": must be an integer']);
	});

	it('answers 404 for an unknown id', async () => {
		const res = await status({ firebase_imported_segment_id: 4242 });
		expect(res.status).toBe(404);
		expect(res.body).toMatchObject({ status: 404, messages: [], errors: ['Segment import 4242 not found'] });
	});

	it('JSON-mode segments have no import to poll', async () => {
		await call(sandbox, '/api/v1/segments', { title: 'T', tag: 't', userIds: ['a'] });
		expect(sandbox.state.imports.size).toBe(0);
	});
});
