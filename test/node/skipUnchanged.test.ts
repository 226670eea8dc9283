import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { startSandbox, type SandboxHandle } from '../../sandbox/server';
import { MEMORY_LIMIT } from '../../nodes/FanPass/helpers/syncMemory';
import { ProcessedDataStore } from '../harness';
import { GOOD_TOKEN, items, requestsTo, runFanPass, startTestSandbox, updateParameters, upsertParameters, type FanPassRun } from './fixtures';

const UPDATE = '/api/v1/update_user';
const SEGMENTS = '/api/v1/segments';
const STORE = 'fanPassSkipUnchanged';

/**
 * Where a run's static data comes from: what n8n saved after the last run ('saved'), nothing (n8n
 * 2.x queue-mode workers), or what was saved before the last run ('previous': the last save was
 * lost, or the last run overlapped this one and both started from the same data).
 */
type StaticStart = 'saved' | 'none' | 'previous';

/**
 * A scheduled workflow: each run is a production ('trigger') execution that starts from the
 * static data n8n saved after the previous one (the harness applies n8n's save rule), on one n8n
 * whose deduplication store (processed_data) keeps what the node records there.
 */
function nightly(sandbox: SandboxHandle) {
	let staticData: IDataObject = {};
	const saves: IDataObject[] = [{}];
	const processedData = new ProcessedDataStore();
	return {
		get staticData() {
			return staticData;
		},
		async run(run: FanPassRun, start: StaticStart = 'saved') {
			const from = start === 'saved' ? staticData : start === 'none' ? {} : (saves[saves.length - 2] ?? {});
			const result = await runFanPass(sandbox, { mode: 'trigger', processedData, ...run, staticData: from });
			if ((run.mode ?? 'trigger') !== 'manual') {
				staticData = result.staticData;
				saves.push(staticData);
			}
			return result;
		},
	};
}

const skipUsers = (options: IDataObject = {}) => updateParameters({ options: { skipUnchanged: true, ...options } });
const contacts = (count: number, tier: (i: number) => string) =>
	items(...Array.from({ length: count }, (_, i) => ({ user_id: `u${i}`, props: { loyalty_tier: tier(i) } })));
const sentUserIds = (sandbox: SandboxHandle) => requestsTo(sandbox, UPDATE).flatMap((request) => request.body.userIds as string[]);
const tierOf = (sandbox: SandboxHandle, userId: string) => sandbox.state.users.get(userId)?.custom?.loyalty_tier;

describe('Update User → Skip Unchanged Users, production runs against the sandbox', () => {
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startTestSandbox();
	});
	afterAll(async () => await sandbox.close());
	beforeEach(() => sandbox.reset());

	it('run 1 sends everyone, run 2 sends only the 1% that changed, and says so per item and in total', async () => {
		const flow = nightly(sandbox);
		const first = await flow.run({ parameters: skipUsers({ batchSize: 1 }), items: contacts(200, () => 'gold') });
		expect(first.error).toBeUndefined();
		expect(sentUserIds(sandbox)).toHaveLength(200);
		expect(first.output[0].json.sync).toBe('sent');
		expect(first.output[0].json.syncTotals).toMatchObject({ users: 200, usersSent: 200, usersSkippedUnchanged: 0, requests: 200, remembered: 200 });

		sandbox.state.requests.length = 0;
		const changed = new Set([7, 99]);
		const second = await flow.run({ parameters: skipUsers({ batchSize: 1 }), items: contacts(200, (i) => (changed.has(i) ? 'silver' : 'gold')) });
		expect(second.error).toBeUndefined();
		expect(sentUserIds(sandbox).sort()).toEqual(['u7', 'u99']);
		expect(tierOf(sandbox, 'u7')).toBe('silver');
		expect(second.output).toHaveLength(200);
		expect(second.output[7].json).toMatchObject({ sync: 'sent', skippedUnchangedUserIds: [] });
		expect(second.output[8].json).toMatchObject({ sync: 'skippedUnchanged', skippedUnchangedUserIds: ['u8'] });
		expect(second.output[8].pairedItem).toEqual({ item: 8 });
		expect(second.output[0].json.syncTotals).toMatchObject({ users: 200, usersSent: 2, usersSkippedUnchanged: 198, requests: 2 });
		expect(second.logs.join('\n')).toContain('2 users sent in 2 requests, 198 skipped as unchanged');
	});

	it('A → B → A sends A on run 3: only the latest accepted value is remembered', async () => {
		const flow = nightly(sandbox);
		for (const tier of ['gold', 'silver', 'gold']) {
			sandbox.state.requests.length = 0;
			const result = await flow.run({ parameters: skipUsers(), items: contacts(3, () => tier) });
			expect(result.error).toBeUndefined();
			expect(sentUserIds(sandbox)).toEqual(['u0', 'u1', 'u2']);
			expect(tierOf(sandbox, 'u1')).toBe(tier);
		}
	});

	it('compares the final properties after last-write-wins, not each item', async () => {
		const flow = nightly(sandbox);
		const input = items({ user_id: 'm1', props: { loyalty_tier: 'gold' } }, { user_id: 'm1', props: { loyalty_tier: 'silver' } });
		await flow.run({ parameters: skipUsers(), items: input });
		sandbox.state.requests.length = 0;
		const again = await flow.run({ parameters: skipUsers(), items: input });
		expect(requestsTo(sandbox, UPDATE)).toHaveLength(0);
		expect(again.output.map((item) => item.json.sync)).toEqual(['skippedUnchanged', 'skippedUnchanged']);
		sandbox.state.requests.length = 0;
		await flow.run({ parameters: skipUsers(), items: input.slice(0, 1) });
		expect(requestsTo(sandbox, UPDATE).map((request) => request.body)).toEqual([{ userIds: ['m1'], userProperties: { loyalty_tier: 'gold' } }]);
	});

	it('remembers only what FanPass accepted: failed requests are sent again on the next run', async () => {
		const flow = nightly(sandbox);
		sandbox.faults.add({ kind: 'status', status: 400, count: 3, path: 'update_user' });
		const first = await flow.run({ parameters: skipUsers({ batchSize: 1, concurrency: 1 }), items: contacts(10, () => 'gold'), continueOnFail: true });
		expect(first.output.filter((item) => item.json.error)).toHaveLength(3);
		expect(first.output[0].json.syncTotals).toMatchObject({ remembered: 7 });

		sandbox.state.requests.length = 0;
		const second = await flow.run({ parameters: skipUsers({ batchSize: 1 }), items: contacts(10, () => 'gold') });
		expect(second.error).toBeUndefined();
		expect(sentUserIds(sandbox)).toEqual(['u0', 'u1', 'u2']);
		expect(second.output[0].json.syncTotals).toMatchObject({ usersSent: 3, usersSkippedUnchanged: 7, remembered: 10 });
	});

	it('a run stopped by an error still remembers the requests FanPass accepted before it', async () => {
		const flow = nightly(sandbox);
		const tiers = ['gold', 'silver', 'bronze', 'iron', 'wood'];
		// Distinct properties give one request per user, in order; the third one fails and stops the node.
		sandbox.faults.add({ kind: 'delay', delayMs: 0, count: 2, path: 'update_user' });
		sandbox.faults.add({ kind: 'status', status: 400, count: 1, path: 'update_user' });
		const stopped = await flow.run({ parameters: skipUsers({ concurrency: 1 }), items: contacts(5, (i) => tiers[i]) });
		expect(stopped.error?.message).toContain('FanPass rejected the request');
		expect(requestsTo(sandbox, UPDATE).map((request) => request.body.userIds[0])).toEqual(['u0', 'u1', 'u2']);

		sandbox.state.requests.length = 0;
		const next = await flow.run({ parameters: skipUsers({ concurrency: 1 }), items: contacts(5, (i) => tiers[i]) });
		expect(next.error).toBeUndefined();
		expect(sentUserIds(sandbox)).toEqual(['u2', 'u3', 'u4']);
	});

	it('manual runs use what production runs saved but never save', async () => {
		const flow = nightly(sandbox);
		await flow.run({ parameters: skipUsers(), items: contacts(4, () => 'gold') });
		const saved = structuredClone(flow.staticData);
		sandbox.state.requests.length = 0;
		const manual = await runFanPass(sandbox, { parameters: skipUsers(), items: contacts(4, (i) => (i === 0 ? 'silver' : 'gold')), staticData: saved });
		expect(sentUserIds(sandbox)).toEqual(['u0']);
		expect(manual.staticData).toEqual(saved);
	});

	it('a production run that starts without the saved memory (n8n 2.x queue-mode workers) sends everything and says why', async () => {
		const flow = nightly(sandbox);
		await flow.run({ parameters: skipUsers(), items: contacts(4, () => 'gold') });
		for (let night = 0; night < 2; night++) {
			sandbox.state.requests.length = 0;
			const worker = await flow.run({ parameters: skipUsers(), items: contacts(4, () => 'gold') }, 'none');
			expect(sentUserIds(sandbox)).toHaveLength(4);
			const totals = worker.output[0].json.syncTotals as IDataObject;
			expect(totals.warnings).toEqual([expect.stringContaining('n8n started this execution without the memory this node saved after its last run')]);
			expect(worker.logs.join('\n')).toContain('n8n 2.x does this for every execution a queue-mode worker runs');
		}
	});

	it('a memory older than the last run is not trusted: A accepted, B sent by a run whose save was lost, A is sent again', async () => {
		const flow = nightly(sandbox);
		await flow.run({ parameters: skipUsers(), items: contacts(3, () => 'gold') });
		await flow.run({ parameters: skipUsers(), items: contacts(3, () => 'silver') });
		expect(tierOf(sandbox, 'u1')).toBe('silver');
		sandbox.state.requests.length = 0;
		const behind = await flow.run({ parameters: skipUsers(), items: contacts(3, () => 'gold') }, 'previous');
		expect(sentUserIds(sandbox)).toEqual(['u0', 'u1', 'u2']);
		expect(tierOf(sandbox, 'u1')).toBe('gold');
		expect((behind.output[0].json.syncTotals as IDataObject).warnings).toEqual([expect.stringContaining('What this node remembers may be out of date')]);
		// Trusted again from the next run on.
		sandbox.state.requests.length = 0;
		await flow.run({ parameters: skipUsers(), items: contacts(3, () => 'gold') });
		expect(sentUserIds(sandbox)).toEqual([]);
	});

	it('a manual run that sent data makes the next production run send everything; one that sent nothing does not', async () => {
		const flow = nightly(sandbox);
		await flow.run({ parameters: skipUsers(), items: contacts(3, () => 'gold') });
		sandbox.state.requests.length = 0;
		await flow.run({ parameters: skipUsers(), items: contacts(3, () => 'gold'), mode: 'manual' });
		expect(sentUserIds(sandbox)).toEqual([]);
		await flow.run({ parameters: skipUsers(), items: contacts(3, () => 'gold') });
		expect(sentUserIds(sandbox)).toEqual([]);

		// The test run sets u0 to silver; n8n does not save what it sent, so the night after must
		// not skip u0 when it is gold again.
		await flow.run({ parameters: skipUsers(), items: contacts(3, (i) => (i === 0 ? 'silver' : 'gold')), mode: 'manual' });
		expect(tierOf(sandbox, 'u0')).toBe('silver');
		sandbox.state.requests.length = 0;
		await flow.run({ parameters: skipUsers(), items: contacts(3, () => 'gold') });
		expect(sentUserIds(sandbox)).toEqual(['u0', 'u1', 'u2']);
		expect(tierOf(sandbox, 'u0')).toBe('gold');
	});

	it('two runs at once: with the static data of the run that finished last (as n8n keeps it), the next run leaves FanPass right', async () => {
		for (let attempt = 0; attempt < 4; attempt++) {
			sandbox.reset();
			const processedData = new ProcessedDataStore();
			const production = (tier: string, staticData: IDataObject) =>
				runFanPass(sandbox, { mode: 'trigger', processedData, staticData, parameters: skipUsers({ batchSize: 1, concurrency: 2 }), items: contacts(4, () => tier) });
			const base = await production('gold', {});
			sandbox.faults.add({ kind: 'delay', delayMs: 5 + attempt * 10, path: 'update_user' });
			const finished: Array<Awaited<ReturnType<typeof production>>> = [];
			await Promise.all(['silver', 'bronze'].map(async (tier) => finished.push(await production(tier, base.staticData))));
			sandbox.faults.clear();
			const warnings = finished.flatMap((run) => ((run.output[0].json.syncTotals as IDataObject).warnings as string[] | undefined) ?? []);
			expect(warnings.length).toBeGreaterThan(0);
			const kept = finished[finished.length - 1].staticData;
			for (const tier of ['silver', 'bronze']) {
				const next = await production(tier, kept);
				expect(next.error).toBeUndefined();
				for (let i = 0; i < 4; i++) expect(tierOf(sandbox, `u${i}`)).toBe(tier);
			}
		}
	});

	it('a deduplication store that cannot be used is a clear warning, and everything is sent', async () => {
		const flow = nightly(sandbox);
		await flow.run({ parameters: skipUsers(), items: contacts(2, () => 'gold') });
		sandbox.state.requests.length = 0;
		const processedData = new ProcessedDataStore();
		processedData.rows.set('harness-workflow|n:node-under-test', { mode: 'entries', data: [] });
		const result = await flow.run({ parameters: skipUsers(), items: contacts(2, () => 'gold'), processedData });
		expect(sentUserIds(sandbox)).toHaveLength(2);
		expect((result.output[0].json.syncTotals as IDataObject).warnings).toEqual([expect.stringContaining("n8n's deduplication store, which checks that this node's memory is current, could not be used")]);
		expect(result.logs.join('\n')).toContain('incompatible setting');
	});

	it('Forget What Was Sent Before sends everything and remembers it again; off again, it skips', async () => {
		const flow = nightly(sandbox);
		await flow.run({ parameters: skipUsers(), items: contacts(5, () => 'gold') });
		sandbox.state.requests.length = 0;
		await flow.run({ parameters: skipUsers({ forgetSent: true }), items: contacts(5, () => 'gold') });
		expect(sentUserIds(sandbox)).toHaveLength(5);
		sandbox.state.requests.length = 0;
		await flow.run({ parameters: skipUsers(), items: contacts(5, () => 'gold') });
		expect(sentUserIds(sandbox)).toHaveLength(0);
		// Forget on its own (Skip Unchanged off) empties the memory.
		await flow.run({ parameters: updateParameters({ options: { forgetSent: true } }), items: contacts(5, () => 'gold') });
		sandbox.state.requests.length = 0;
		await flow.run({ parameters: skipUsers(), items: contacts(5, () => 'gold') });
		expect(sentUserIds(sandbox)).toHaveLength(5);
	});

	it('memory of another FanPass (base URL) counts as empty', async () => {
		const flow = nightly(sandbox);
		await flow.run({ parameters: skipUsers(), items: contacts(3, () => 'gold') });
		sandbox.state.requests.length = 0;
		await flow.run({ parameters: skipUsers(), items: contacts(3, () => 'gold'), baseUrl: sandbox.url.replace('127.0.0.1', 'localhost') });
		expect(sentUserIds(sandbox)).toHaveLength(3);
	});

	it('without the option, output and static data are as before', async () => {
		const flow = nightly(sandbox);
		const result = await flow.run({ parameters: updateParameters(), items: contacts(2, () => 'gold') });
		expect(result.output[0].json).not.toHaveProperty('sync');
		expect(result.output[0].json).not.toHaveProperty('syncTotals');
		expect(flow.staticData).toEqual({});
	});

	it(`past ${MEMORY_LIMIT} remembered users it sends everything, warns, and empties the memory`, async () => {
		const entries: Record<string, string> = {};
		for (let i = 0; i < MEMORY_LIMIT; i++) entries[`old${i}`] = 'AAAAAAAAAAA';
		const flow = nightly(sandbox);
		await flow.run({ parameters: skipUsers(), items: contacts(2, () => 'gold') });
		const memory = (flow.staticData['node:FanPass'] as IDataObject)[STORE] as { users: { entries: Record<string, string> } };
		Object.assign(memory.users.entries, entries);
		sandbox.state.requests.length = 0;
		const result = await flow.run({ parameters: skipUsers(), items: contacts(3, () => 'gold') });
		expect(sentUserIds(sandbox)).toEqual(['u0', 'u1', 'u2']);
		const totals = result.output[0].json.syncTotals as IDataObject;
		expect(totals.warnings).toEqual([expect.stringContaining(`would pass the limit of ${MEMORY_LIMIT}, so everything was sent`)]);
		expect(totals.remembered).toBe(0);
		expect(result.logs.join('\n')).toContain('would pass the limit');
	}, 60_000);

	it('logs progress for runs over a few thousand requests, and nothing for small ones', async () => {
		const small = await runFanPass(sandbox, { parameters: skipUsers({ batchSize: 1 }), items: contacts(50, () => 'gold') });
		expect(small.logs.join('\n')).not.toMatch(/of 50 requests/);
		const big = await runFanPass(sandbox, { parameters: updateParameters({ options: { batchSize: 1, concurrency: 20 } }), items: contacts(2000, () => 'gold') });
		expect(big.error).toBeUndefined();
		const lines = big.logs.filter((line) => line.includes('FanPass Update User: '));
		expect(lines.some((line) => line.includes('200 of 2000 requests (10%)'))).toBe(true);
		expect(lines.some((line) => line.includes('2000 of 2000 requests (100%)'))).toBe(true);
	}, 60_000);

	it('property: over runs with failing requests, manual runs, lost or missing memories, no skipped user differs from FanPass, and the end state is the model', async () => {
		const USERS = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'];
		const value = fc.constantFrom('gold', 'silver', 'bronze');
		const runArb = fc.record({
			tiers: fc.array(value, { minLength: USERS.length, maxLength: USERS.length }),
			levels: fc.array(fc.constantFrom('1', '2'), { minLength: USERS.length, maxLength: USERS.length }),
			failure: fc.option(fc.record({ probability: fc.constantFrom(0.3, 0.6), seed: fc.nat(1000), afterApply: fc.boolean() }), { nil: undefined }),
			batchSize: fc.constantFrom(1, 2, 1000),
			start: fc.constantFrom<StaticStart | 'manual'>('saved', 'saved', 'none', 'previous', 'manual'),
		});
		await fc.assert(
			fc.asyncProperty(fc.array(runArb, { minLength: 1, maxLength: 5 }), async (runs) => {
				sandbox.reset();
				const flow = nightly(sandbox);
				// The last run has no faults, so afterwards FanPass must hold exactly its values.
				const all = [...runs, { ...runs[runs.length - 1], failure: undefined, start: 'saved' as const }];
				for (const run of all) {
					sandbox.faults.clear();
					if (run.failure) sandbox.faults.add({ kind: 'status', status: 400, path: 'update_user', ...run.failure });
					const input = items(...USERS.map((user_id, i) => ({ user_id, props: { loyalty_tier: run.tiers[i], vip_level: run.levels[i] } })));
					const manual = run.start === 'manual';
					const result = await flow.run(
						{ parameters: skipUsers({ batchSize: run.batchSize }), items: input, continueOnFail: true, mode: manual ? 'manual' : 'trigger' },
						run.start === 'manual' ? 'saved' : run.start,
					);
					result.output.forEach((item, i) => {
						const held = sandbox.state.users.get(USERS[i])?.custom;
						const wanted = { loyalty_tier: run.tiers[i], vip_level: run.levels[i] };
						if (item.json.sync === 'skippedUnchanged') expect(held).toEqual(wanted);
						if (!item.json.error) expect(held).toEqual(wanted);
					});
				}
				const last = all[all.length - 1];
				USERS.forEach((user, i) => {
					expect(sandbox.state.users.get(user)?.custom).toEqual({ loyalty_tier: last.tiers[i], vip_level: last.levels[i] });
				});
			}),
			{ numRuns: 30 },
		);
	}, 120_000);
});

describe('Create or Update Segment → Skip Unchanged Segment', () => {
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startSandbox({ tokens: [GOOD_TOKEN], importDurationMs: 0 });
	});
	afterAll(async () => await sandbox.close());
	beforeEach(() => sandbox.reset());

	const members = (tag: string, ids: string[]) => ids.map((user_id) => ({ user_id, tag }));
	const skipSegment = (options: IDataObject = {}) => upsertParameters({ options: { skipUnchanged: true, ...options } });

	it('skips a tag whose members (in any order), title, source type and notes are unchanged; sends the changed one', async () => {
		const flow = nightly(sandbox);
		const first = await flow.run({ parameters: skipSegment(), items: items(...members('fans', ['1', '2', '3']), ...members('vip', ['9'])) });
		expect(first.error).toBeUndefined();
		expect(requestsTo(sandbox, SEGMENTS)).toHaveLength(2);
		expect(first.output[0].json).toMatchObject({ sync: 'sent', syncTotals: { segmentsSent: 2, segmentsSkippedUnchanged: 0 } });

		sandbox.state.requests.length = 0;
		const second = await flow.run({ parameters: skipSegment(), items: items(...members('fans', ['3', '1', '2']), ...members('vip', ['9', '8'])) });
		expect(requestsTo(sandbox, SEGMENTS).map((request) => request.body.tag)).toEqual(['vip']);
		expect(second.output[0].json).toMatchObject({ tag: 'fans', skipped: true, sync: 'skippedUnchanged', syncTotals: { segmentsSent: 1, segmentsSkippedUnchanged: 1 } });
		expect(second.output[0].json.reason).toContain('not sent');
		expect(second.output[1].json).toMatchObject({ tag: 'vip', sync: 'sent' });

		sandbox.state.requests.length = 0;
		await flow.run({ parameters: skipSegment({ notes: 'restock' }), items: items(...members('fans', ['1', '2', '3'])) });
		expect(requestsTo(sandbox, SEGMENTS)).toHaveLength(1);
	});

	it('A → B → A replaces the segment with A again on run 3', async () => {
		const flow = nightly(sandbox);
		for (const ids of [['1', '2'], ['1'], ['1', '2']]) {
			sandbox.state.requests.length = 0;
			await flow.run({ parameters: skipSegment(), items: items(...members('fans', ids)) });
			expect(requestsTo(sandbox, SEGMENTS)).toHaveLength(1);
			expect(sandbox.state.segments.get('fans')?.userIds).toEqual(ids);
		}
	});

	it('a failed request is not remembered and is sent again', async () => {
		const flow = nightly(sandbox);
		sandbox.faults.add({ kind: 'status', status: 400, count: 1, path: 'segments' });
		const failed = await flow.run({ parameters: skipSegment(), items: items(...members('fans', ['1'])), continueOnFail: true });
		expect(failed.output[0].json.error).toBeDefined();
		sandbox.state.requests.length = 0;
		await flow.run({ parameters: skipSegment(), items: items(...members('fans', ['1'])) });
		expect(requestsTo(sandbox, SEGMENTS).filter((request) => !request.fault)).toHaveLength(1);
	});

	it('Create or Update logs progress for runs over a few thousand requests', async () => {
		const result = await runFanPass(sandbox, { parameters: skipSegment(), items: items(...Array.from({ length: 2000 }, (_, i) => ({ user_id: String(i), tag: `t${i}` }))) });
		expect(result.error).toBeUndefined();
		const lines = result.logs.filter((line) => line.includes('FanPass Create or Update Segment: '));
		expect(lines.some((line) => line.includes('1000 of 2000 requests (50%)'))).toBe(true);
		expect(lines.some((line) => line.includes('2000 segments sent, 0 skipped as unchanged'))).toBe(true);
	}, 60_000);

	it('Forget What Was Sent Before sends an unchanged segment again', async () => {
		const flow = nightly(sandbox);
		await flow.run({ parameters: skipSegment(), items: items(...members('fans', ['1'])) });
		sandbox.state.requests.length = 0;
		const forgot = await flow.run({ parameters: skipSegment({ forgetSent: true }), items: items(...members('fans', ['1'])) });
		expect(requestsTo(sandbox, SEGMENTS)).toHaveLength(1);
		expect(forgot.output[0].json.sync).toBe('sent');
	});

	it('Wait for Import logs each poll with its state and percent', async () => {
		const slow = await startSandbox({ tokens: [GOOD_TOKEN], importDurationMs: 2000 });
		try {
			const upload = await runFanPass(slow, { parameters: upsertParameters({ options: { fileModeThreshold: 1 } }), items: items(...members('big', ['1', '2', '3'])) });
			const importId = upload.output[0].json.importId as number;
			const waited = await runFanPass(slow, {
				parameters: { resource: 'segment', operation: 'waitForImport', importId: String(importId), options: { pollInterval: 0.05, maxWait: 30 } },
				items: items({}),
			});
			expect(waited.error).toBeUndefined();
			const polls = waited.logs.filter((line) => line.includes(`FanPass import ${importId}:`));
			expect(polls.length).toBeGreaterThan(1);
			expect(polls[0]).toMatch(/: (pending|processing \(\d+%\)) after poll 1 /);
			expect(polls.some((line) => /: processing \(\d+%\) after poll \d+ /.test(line))).toBe(true);
			expect(polls.at(-1)).toMatch(new RegExp(`completed \\(100%\\) after poll ${polls.length}`));
		} finally {
			await slow.close();
		}
	});

	it('file mode: skipped only once FanPass completed the import; an import that failed is sent again', async () => {
		const flow = nightly(sandbox);
		const big = items(...members('big', ['1', '2', '3', '4', '5', '6']));
		const options = { fileModeThreshold: 5 };
		sandbox.failImportsMidway(1);
		const first = await flow.run({ parameters: skipSegment(options), items: big });
		expect(first.output[0].json).toMatchObject({ mode: 'file', sync: 'sent' });

		sandbox.state.requests.length = 0;
		const second = await flow.run({ parameters: skipSegment(options), items: big });
		expect(second.output[0].json).toMatchObject({ mode: 'file', sync: 'sent' });
		// The status check found the first import failed, so the file was uploaded again.
		expect(sandbox.state.requests.map((request) => request.path)).toEqual(['/api/v1/segment_import_status', SEGMENTS]);

		sandbox.state.requests.length = 0;
		const third = await flow.run({ parameters: skipSegment(options), items: big });
		expect(third.output[0].json).toMatchObject({ sync: 'skippedUnchanged' });
		expect(sandbox.state.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['POST /api/v1/segment_import_status']);
	});
});
