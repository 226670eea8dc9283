/**
 * Faults in queue mode: a stopped execution that waits for an import; a worker SIGKILLed in the middle of a
 * long Update User run (what n8n does with the execution, then a re-run that leaves FanReach exactly right);
 * a worker that lacks the package (the error users see).
 */
import { activate, deactivate, executionError, getExecution, runManually } from '../../../scripts/n8n-runtime/n8nExecutions';
import { secs, sleep } from '../../../scripts/n8n-runtime/processes';
import { executionIds, newExecutions, postWebhook, ranOnWorker, workerOf, type QueueContext } from '../context';
import { MANUAL_TRIGGER } from '../workflows';

async function until(what: string, test: () => Promise<boolean>, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await test())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(100);
	}
}

export async function stopWhileWaitingForImport(ctx: QueueContext): Promise<void> {
	const id = 'queueUploadAndWait';
	await activate(ctx.stack.main, id);
	await ctx.sandbox.reset();
	// the import never finishes: every status answer says processing
	await ctx.sandbox.addFaults([{ kind: 'rewrite', probability: 1, path: 'segment_import_status', set: { import_status: { state: 'processing' } } }]);
	const before = await executionIds(ctx, id);
	await postWebhook(ctx, 'queue-upload-wait', {});
	const polls = async () => (await ctx.sandbox.state()).requests.filter((r) => r.path === '/api/v1/segment_import_status').length;
	await until('the worker to poll the import', async () => (await polls()) >= 3, 60_000);
	const [running] = (await newExecutions(ctx, id, before, 1, 1)).filter(Boolean);
	const executionId = running?.id ?? '';
	const worker = workerOf(ctx, executionId);
	const t0 = Date.now();
	const stop = await ctx.stack.main.restRaw('POST', `/rest/executions/${executionId}/stop`);
	let status = '';
	await until('the stopped execution to end', async () => {
		status = (await getExecution(ctx.stack.main, executionId)).status;
		return !['running', 'new', 'waiting'].includes(status);
	}, 30_000);
	const ms = Date.now() - t0;
	const pollsAtEnd = await polls();
	await sleep(1500);
	await deactivate(ctx.stack.main, id);
	ctx.checks.check(`stop answered ${stop.status}; execution ${executionId} on ${worker?.name ?? 'no worker'} ended ${status}`, stop.status === 200 && worker !== undefined && status === 'canceled', stop.body);
	ctx.checks.check('no more status polls after it ended', (await polls()) === pollsAtEnd, { pollsAtEnd, later: await polls() });
	ctx.checks.check(`it ended well before Max Wait (120 s): ${secs(ms)}`, ms < 10_000, ms);
	ctx.measured['stop while waiting for an import on a worker: POST stop until the execution ended'] = secs(ms);
}

export async function workerKilledMidRun(ctx: QueueContext): Promise<void> {
	const id = 'queueLongUpdate';
	const count = 300;
	await activate(ctx.stack.main, id);
	await ctx.sandbox.reset();
	await ctx.sandbox.addFaults([{ kind: 'delay', delayMs: 100, probability: 1, path: 'update_user' }]); // a slow FanPass: a long run
	const before = await executionIds(ctx, id);
	const body = { prefix: 'K', count, tier: 'k', distinct: true };
	await postWebhook(ctx, 'queue-queueLongUpdate', body);
	const updates = async () => (await ctx.sandbox.state()).requests.filter((r) => r.path === '/api/v1/update_user').length;
	await until('the long run to be under way', async () => (await updates()) >= 30, 60_000);
	const [running] = await newExecutions(ctx, id, before, 1, 1);
	const victim = running ? workerOf(ctx, running.id) : undefined;
	if (!running || !victim) {
		ctx.checks.check('the long run is running on a worker', false, running);
		return;
	}
	await victim.kill();
	const sentBeforeKill = await updates();
	const t0 = Date.now();
	const statuses: string[] = [];
	let final = '';
	await until('n8n to settle the killed execution', async () => {
		final = (await getExecution(ctx.stack.main, running.id)).status;
		if (statuses[statuses.length - 1] !== final) statuses.push(final);
		return !['running', 'new'].includes(final);
	}, 90_000).catch(() => undefined);
	const settleMs = Date.now() - t0;
	const state = await ctx.sandbox.state();
	const updatedUsers = Object.keys(state.users).length;
	const exact = (users: typeof state.users) => Array.from({ length: count }, (_, i) => i).every((i) => users[`K${i}`]?.custom.loyalty_tier === `k-${i}`) && Object.keys(users).length === count;
	// n8n decides: 2.x fails the job (Bull maxStalledCount 0), 1.x hands it to another worker, which runs it from the start
	const takenOverBy = ctx.stack.workers.filter((w) => w !== victim && w.startedExecutions().includes(running.id)).map((w) => w.name);
	ctx.checks.check(`${victim.name} SIGKILLed after ${sentBeforeKill} of ${count} updates: execution ${running.id} went ${statuses.join(' → ')} (${secs(settleMs)})`, !['running', 'new'].includes(final), statuses);
	if (final === 'success') ctx.checks.check(`it was run again from the start by ${takenOverBy.join(', ') || 'no other worker'}, and FanReach is exactly right`, takenOverBy.length > 0 && exact(state.users), { takenOverBy, updatedUsers });
	else ctx.checks.check(`it ended ${final}, not run again elsewhere`, ['error', 'crashed'].includes(final) && takenOverBy.length === 0, { final, takenOverBy });
	const message = executionError(await getExecution(ctx.stack.main, running.id))?.message ?? '(no error recorded)';
	ctx.observed['worker SIGKILLed mid-run'] = `execution ${running.id}: ${statuses.join(' → ')} ${secs(settleMs)} after the kill${takenOverBy.length ? `, run again from the start by ${takenOverBy.join(', ')}` : ''}, error "${message}"; FanReach had ${updatedUsers} of ${count} users updated`;

	// a replacement worker; the same call again: Update User is idempotent, FanReach ends exactly right
	const replacement = await ctx.stack.startWorker('worker3', ctx.stack.workers[0].concurrency);
	await ctx.sandbox.reset();
	const beforeRerun = await executionIds(ctx, id);
	await postWebhook(ctx, 'queue-queueLongUpdate', body);
	const [rerun] = await newExecutions(ctx, id, beforeRerun, 1, 120_000);
	await deactivate(ctx.stack.main, id);
	ranOnWorker(ctx, `re-run after the kill (${replacement.name} started to replace ${victim.name})`, rerun);
	const after = await ctx.sandbox.state();
	ctx.checks.check(`after the re-run all ${count} users have exactly their loyalty_tier, nobody else was touched`, exact(after.users), Object.keys(after.users).length);
}

export async function workerWithoutPackage(ctx: QueueContext): Promise<void> {
	for (const worker of ctx.stack.workers) await worker.stop();
	const bare = await ctx.stack.startWorker('worker-without-package', 2, false);
	await ctx.sandbox.reset();
	const example = 'fanpassLoyaltyAttributes';
	const before = await executionIds(ctx, example);
	await runManually(ctx.stack.main, example, MANUAL_TRIGGER);
	const [execution] = await newExecutions(ctx, example, before, 1, 60_000);
	const error = execution ? executionError(execution) : undefined;
	const workerLog = bare.log.filter((line) => /fanPass|Unrecognized|not known|n8n-nodes-fanpass/i.test(line)).slice(0, 3);
	ctx.checks.check(`the execution ${execution?.id} fails: ${execution?.status}, "${error?.message ?? ''}"`, execution !== undefined && execution.status !== 'success', execution);
	ctx.checks.check('the error names the node type', /n8n-nodes-fanpass\.fanPass/.test(`${error?.message ?? ''} ${error?.description ?? ''} ${workerLog.join(' ')}`), { error, workerLog });
	ctx.checks.equal('nothing reached FanReach', (await ctx.sandbox.state()).requests.length, 0);
	ctx.observed['worker without the package'] = `execution ${execution?.status}: "${error?.message ?? ''}"; worker log: ${workerLog.join(' | ') || '(nothing)'}`;
}
