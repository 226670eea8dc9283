/**
 * Skip Unchanged Users in production executions: the workflow (Webhook → Split Out → Update User)
 * is activated with n8n's own CLI, n8n is started, and each "night" is a POST to the production
 * webhook. n8n keeps the node's static data between those runs (it never does for manual runs),
 * so the sandbox must receive only what changed. Once in regular mode, once in queue mode (Redis,
 * a main that enqueues, a worker that runs the executions and saves the static data).
 */
import { startQueueMode } from '../../../scripts/n8n-runtime/queueMode';
import type { SandboxState } from '../../../scripts/n8n-runtime/sandboxProcess';
import type { SuiteContext } from './context';

const USERS = 300;

type Tiers = (index: number) => string;

const sentUserIds = (state: SandboxState) =>
	state.requests.filter((request) => request.path === '/api/v1/update_user' && request.status === 200).flatMap((request) => (request.body as { userIds: string[] }).userIds);

/** Activates a workflow with n8n's CLI: 2.x publishes its current version, 1.x sets it active. */
async function activate(ctx: SuiteContext, workflowId: string): Promise<void> {
	const major = Number(ctx.install.version.split('.')[0]);
	const args = major >= 2 ? ['publish:workflow', `--id=${workflowId}`] : ['update:workflow', `--id=${workflowId}`, '--active=true'];
	const activated = await ctx.cli.run(args);
	ctx.checks.check(`n8n ${args[0]} (the workflow runs in production from now on)`, activated.code === 0, activated.stderr || activated.stdout);
}

export async function skipUnchanged(ctx: SuiteContext): Promise<void> {
	await activate(ctx, 'fpE2eSkipUnchgd');
	const server = await ctx.server();
	await nights(ctx, `${server.url}/webhook/fanpass-e2e-skip-unchanged`, server.log, true);
}

/** Must run before any other n8n server starts on the user folder (two mains on one SQLite file clash). */
export async function skipUnchangedQueueMode(ctx: SuiteContext): Promise<void> {
	await activate(ctx, 'fpE2eSkipQueue');
	// The sub-workflow must be published on 2.x: a production run calls its published version.
	await activate(ctx, 'fpE2eSkipSubwf');
	await activate(ctx, 'fpE2eSkipParent');
	const queue = await startQueueMode({ install: ctx.install, userFolder: ctx.userFolder, env: ctx.env, verbose: process.env.N8N_E2E_VERBOSE === '1' });
	try {
		// n8n 2.x (2.40.7) starts a worker's execution with the static data of the execution's workflow
		// snapshot, which leaves static data out (toWorkflowSnapshot), and asks the worker to reload it only
		// for resumed executions: the memory is saved but never read back, so every night sends everything
		// and says why (the witness in n8n's deduplication store, which workers share, knows a memory was
		// saved). 1.x has the worker load it from the database (job data loadStaticData).
		const remembers = Number(ctx.install.version.split('.')[0]) < 2;
		console.log('    the FanPass node in the webhook workflow itself:');
		await nights(ctx, `${queue.server.url}/webhook/fanpass-e2e-skip-queue`, queue.server.log, remembers);
		// A sub-workflow's execution loads the sub-workflow (static data included) from the database on the
		// worker that runs the parent, and saves its static data: there Skip Unchanged works on 2.x too.
		console.log('    the FanPass node in a sub-workflow (Execute Workflow):');
		await nights(ctx, `${queue.server.url}/webhook/fanpass-e2e-skip-sub`, queue.server.log, true, 'sub-workflow ');
		const ran = queue.workerLog.filter((line) => /Worker finished execution/.test(line)).length;
		ctx.checks.check("queue mode: the worker ran every night's execution (both workflows)", ran >= 14, { ran, log: queue.workerLog.slice(-10) });
	} finally {
		await queue.stop();
	}
}

/**
 * Seven nights. `remembers: false` is n8n 2.x's queue mode, where n8n never hands the static data back
 * to the worker: then every night must send every user (nothing skipped on a guess).
 */
async function nights(ctx: SuiteContext, webhookUrl: string, serverLog: string[], remembers: boolean, prefix = ''): Promise<void> {
	const { checks, sandbox } = ctx;
	const check = (name: string, ok: boolean, detail?: unknown) => checks.check(prefix + name, ok, detail);
	const equal = (name: string, actual: unknown, expected: unknown) => checks.equal(prefix + name, actual, expected);
	// n8n registers the production webhooks of active workflows while it starts; wait for it (bounded).
	for (let attempt = 0; attempt < 60; attempt++) {
		const probe = await fetch(webhookUrl, { method: 'HEAD' }).catch(() => undefined);
		if (probe && probe.status !== 404) break;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}

	const night = async (label: string, tiers: Tiers, options: { forget?: boolean; faults?: unknown[] } = {}) => {
		await sandbox.reset();
		if (options.faults) await sandbox.addFaults(options.faults);
		const users = Array.from({ length: USERS }, (_, i) => ({ user_id: `n${i}`, tier: tiers(i) }));
		const response = await fetch(webhookUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ users, forget: options.forget === true }),
		});
		const body = (await response.json().catch(() => undefined)) as unknown;
		const output = Array.isArray(body) ? (body as Array<Record<string, unknown>>) : undefined;
		if (!output) console.log(`    ${label}: HTTP ${response.status} ${JSON.stringify(body).slice(0, 500)}\n${serverLog.filter((line) => /activ|publish|webhook|error/i.test(line)).slice(-15).join('\n')}`);
		check(`${label}: production webhook answered 200 with one item per user`, response.status === 200 && output?.length === USERS, { status: response.status, items: output?.length });
		const state = await sandbox.state();
		console.log(`    ${label}: ${sentUserIds(state).length} users sent, totals ${JSON.stringify(output?.[0]?.syncTotals)}`);
		return { output: output ?? [], state, sent: sentUserIds(state) };
	};
	const same = (a: string[], b: string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
	const expectSent = (name: string, run: { sent: string[]; output: Array<Record<string, unknown>> }, expected: string[]) => {
		if (remembers) return check(name, same(run.sent, expected), run.sent);
		const refused = run.output.filter((item) => item.error).length;
		check(`${name.split(':')[0]}: no static data on the worker (n8n 2.x queue mode), so every user is sent or failed, none skipped`, run.sent.length + refused === USERS, { sent: run.sent.length, refused });
		const warnings = run.output.flatMap((item) => (item.syncTotals as { warnings?: string[] } | undefined)?.warnings ?? []).join(' | ');
		return check(`${name.split(':')[0]}: the output says n8n started the execution without the saved memory`, /started this execution without the memory this node saved/.test(warnings), warnings);
	};
	const ids = (indexes: number[]) => indexes.map((i) => `n${i}`);

	const gold: Tiers = () => 'gold';
	let run = await night('run 1 (nothing remembered)', gold);
	equal('run 1: every user is sent', run.sent.length, USERS);

	const changed = [5, 150, 299]; // 1%
	const someSilver: Tiers = (i) => (changed.includes(i) ? 'silver' : 'gold');
	run = await night('run 2 (1% changed)', someSilver);
	expectSent('run 2: only the 1% that changed is sent', run, ids(changed));
	if (remembers) check(
		'run 2: items say skipped / sent, and the run total counts them',
		run.output[0]?.sync === 'skippedUnchanged' && run.output[5]?.sync === 'sent' && (run.output[0]?.syncTotals as { usersSkippedUnchanged?: number })?.usersSkippedUnchanged === USERS - 3,
		run.output.slice(0, 1),
	);

	run = await night('run 3 (A → B → A: back to gold)', gold);
	expectSent('run 3: the users set back to their earlier value are sent again', run, ids(changed));

	const bronze = Array.from({ length: 30 }, (_, i) => i * 10);
	const someBronze: Tiers = (i) => (bronze.includes(i) ? 'bronze' : 'gold');
	// 30 changed users in 3 requests of 10; the first one is refused.
	run = await night('run 4 (30 changed, one request refused)', someBronze, { faults: [{ kind: 'status', status: 400, count: 1, path: 'update_user' }] });
	const refused = run.output.filter((item) => item.error).length;
	if (remembers) check('run 4: one request of 10 users failed, the other 20 were sent', refused === 10 && run.sent.length === 20, { refused, sent: run.sent.length });
	else expectSent('run 4', run, []);
	const failedIds = ids(bronze).filter((id) => !run.sent.includes(id));

	run = await night('run 5 (same data, no faults)', someBronze);
	expectSent('run 5: exactly the 10 users whose request failed are sent again', run, failedIds);

	run = await night('run 6 (Forget What Was Sent Before)', someBronze, { forget: true });
	equal('run 6: after forgetting, every user is sent', run.sent.length, USERS);

	run = await night('run 7 (nothing changed)', someBronze);
	expectSent('run 7: nothing changed, nothing is sent', run, []);
}
