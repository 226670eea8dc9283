/**
 * Load: 40 executions at once (40 webhook calls), each replacing its own segment and setting its own users,
 * spread over both workers; every segment and user must end exactly as asked. Time and peak memory reported.
 * Also two executions replacing the same tag at once: the segment ends as exactly one of them asked.
 */
import { activate, deactivate } from '../../../scripts/n8n-runtime/n8nExecutions';
import { sampleMemory } from '../../../scripts/n8n-runtime/processMemory';
import { secs } from '../../../scripts/n8n-runtime/processes';
import { executionIds, newExecutions, postWebhook, workerOf, type QueueContext } from '../context';


const ID = 'queueSegmentAndUsers';
export const LOAD_EXECUTIONS = 40;
const USERS_EACH = 25;

export async function load(ctx: QueueContext): Promise<void> {
	await activate(ctx.stack.main, ID);
	await ctx.sandbox.reset();
	const before = await executionIds(ctx, ID);
	const ask = Array.from({ length: LOAD_EXECUTIONS }, (_, i) => ({ tag: `load${i}`, tier: `tier${i}`, userIds: Array.from({ length: USERS_EACH }, (_, j) => `L${i}-${j}`) }));
	const memory = sampleMemory({ main: ctx.stack.main.child, ...Object.fromEntries(ctx.stack.workers.map((w) => [w.name, w.child])) });
	const t0 = Date.now();
	const answers = await Promise.all(ask.map((body) => postWebhook(ctx, 'queue-segment-users', body)));
	ctx.checks.check(`${LOAD_EXECUTIONS} webhook calls accepted`, answers.every((a) => a.ok), answers.map((a) => a.status));
	const executions = await newExecutions(ctx, ID, before, LOAD_EXECUTIONS, 180_000);
	const ms = Date.now() - t0;
	const peaks = memory.stop();
	await deactivate(ctx.stack.main, ID);
	ctx.checks.equal(`${LOAD_EXECUTIONS} executions, all success`, [executions.length, executions.filter((e) => e.status === 'success').length], [LOAD_EXECUTIONS, LOAD_EXECUTIONS]);
	const perWorker: Record<string, number> = {};
	for (const e of executions) {
		const name = workerOf(ctx, e.id)?.name ?? 'none';
		perWorker[name] = (perWorker[name] ?? 0) + 1;
	}
	const workerNames = ctx.stack.workers.map((w) => w.name);
	ctx.checks.check(`spread over both workers: ${JSON.stringify(perWorker)}`, workerNames.every((n) => (perWorker[n] ?? 0) > 0) && !perWorker.none, perWorker);
	const state = await ctx.sandbox.state();
	const wrongSegments = ask.filter((a) => JSON.stringify(state.segments[a.tag]?.userIds) !== JSON.stringify(a.userIds)).map((a) => a.tag);
	ctx.checks.equal('every segment holds exactly its users', wrongSegments, []);
	const wrongUsers = ask.flatMap((a) => a.userIds.filter((u) => state.users[u]?.custom.loyalty_tier !== a.tier));
	ctx.checks.equal(`all ${LOAD_EXECUTIONS * USERS_EACH} users have their own loyalty_tier`, wrongUsers, []);
	ctx.measured[`load: ${LOAD_EXECUTIONS} executions (${USERS_EACH} users each), first call to last finished`] = secs(ms);
	ctx.measured['load: executions per worker'] = JSON.stringify(perWorker);
	ctx.measured['load: peak RSS MB per process group (n8n + task runner)'] = JSON.stringify(Object.fromEntries(Object.entries(peaks).map(([name, peak]) => [name, peak.totalMb])));
}

export async function sameTagAtOnce(ctx: QueueContext): Promise<void> {
	await activate(ctx.stack.main, ID);
	await ctx.sandbox.reset();
	const before = await executionIds(ctx, ID);
	const a = { tag: 'contested', tier: 'a', userIds: Array.from({ length: 400 }, (_, i) => `A${i}`) };
	const b = { tag: 'contested', tier: 'b', userIds: Array.from({ length: 400 }, (_, i) => `B${i}`) };
	await Promise.all([postWebhook(ctx, 'queue-segment-users', a), postWebhook(ctx, 'queue-segment-users', b)]);
	const executions = await newExecutions(ctx, ID, before, 2);
	await deactivate(ctx.stack.main, ID);
	ctx.checks.check('both executions succeeded', executions.length === 2 && executions.every((e) => e.status === 'success'), executions.map((e) => e.status));
	const members = (await ctx.sandbox.state()).segments.contested?.userIds ?? [];
	const winner = JSON.stringify(members) === JSON.stringify(a.userIds) ? 'A' : JSON.stringify(members) === JSON.stringify(b.userIds) ? 'B' : 'a mix';
	ctx.checks.check(`the segment holds exactly one execution's members (${winner}), never a mix`, winner !== 'a mix', members.slice(0, 5));
	const workers = executions.map((e) => workerOf(ctx, e.id)?.name ?? '?').join(' and ');
	ctx.observed['same tag replaced by two executions at once'] = `last replace wins: the segment ended with the members of ${winner} (run on ${workers}); no mix`;
}
