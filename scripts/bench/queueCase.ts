/**
 * Case 8: many production executions at once, each a webhook call carrying its own slice of the users, in
 * n8n's queue mode (scripts/n8n-runtime/queueStack.ts: Redis, PostgreSQL, one main and two workers, the
 * package installed on each from the tarball, started fresh for every run) or in regular mode (one
 * `n8n start` on the bench's user folder: SQLite, n8n's default). Measured, from the first call sent to the
 * last answer (the Webhook answers when its execution has finished): the executions as n8n recorded them
 * (status, startedAt → stoppedAt, the FanPass node's executionTime), the process that ran each (a worker's
 * log line "Worker started execution <id>"), and the peak memory of every n8n process.
 *
 * Unlike the other cases the executions are saved (n8n's default): the executions table is where they are
 * counted, and in queue mode main reads a finished execution from the database to answer its webhook.
 */
import type { ChildProcess } from 'node:child_process';
import type { SideRunContext, CaseRun } from './cases';
import { generateItems, type UsersInput } from './inputs';
import type { RunData } from './measure';
import type { ExecutionsStats } from './report';
import { activate, deactivate, executionError, getExecution, listExecutions, postWebhook, waitForExecution, waitForWebhook, type ExecutionDetail } from '../n8n-runtime/n8nExecutions';
import { startN8nServer, type N8nServer } from '../n8n-runtime/n8nServer';
import { sampleMemory } from '../n8n-runtime/processMemory';
import { sleep } from '../n8n-runtime/processes';
import { startQueueStack } from '../n8n-runtime/queueStack';

/** n8n's default `n8n worker --concurrency`, on each of the two workers */
export const WORKER_CONCURRENCY = [10, 10];

/** The body of each execution's webhook call: { users: [{ userId, properties }, …] }, consecutive slices of the input. */
export function executionBodies(input: UsersInput, executions: number): Array<{ users: Array<Record<string, unknown>> }> {
	const items = generateItems(input).map((item) => item.json);
	const each = Math.ceil(items.length / executions);
	return Array.from({ length: executions }, (_, k) => ({ users: items.slice(k * each, (k + 1) * each) }));
}

const SAVE_EXECUTIONS = { EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all', EXECUTIONS_DATA_SAVE_ON_ERROR: 'all' };

export async function runExecutions(context: SideRunContext, bodies: unknown[]): Promise<CaseRun> {
	const env = { ...context.env, ...SAVE_EXECUTIONS };
	const t0 = Date.now();
	if (context.side === 'fanpass-queue') {
		const stack = await startQueueStack({
			install: context.install,
			tarball: context.tarball,
			sandboxUrl: context.sandbox.url,
			label: `bench-${context.workflowId}`,
			workers: WORKER_CONCURRENCY,
			extraWorkflows: [context.workflow],
			extraCredentials: context.credentials,
			env,
		});
		try {
			const groups = { main: stack.main.child, ...Object.fromEntries(stack.workers.map((w) => [w.name, w.child])) };
			const ranOn = (id: string) => stack.workers.find((w) => w.startedExecutions().includes(id))?.name ?? 'no worker';
			return await measure(context, stack.main, bodies, { mode: 'queue', groups, ranOn, startupMs: Date.now() - t0, workerConcurrency: stack.workers.map((w) => w.concurrency) });
		} finally {
			await stack.stop();
		}
	}
	if (context.side !== 'fanpass-regular') throw new Error(`case run as executions: no runner for side ${context.side}`);
	const main = await startN8nServer({ install: context.install, userFolder: context.userFolder, env });
	try {
		return await measure(context, main, bodies, { mode: 'regular', groups: { main: main.child }, ranOn: () => 'main', startupMs: Date.now() - t0 });
	} finally {
		await main.stop();
	}
}

interface Setup {
	mode: ExecutionsStats['mode'];
	groups: Record<string, ChildProcess>;
	ranOn: (executionId: string) => string;
	startupMs: number;
	workerConcurrency?: number[];
}

const count = (keys: string[]) => keys.reduce<Record<string, number>>((counts, key) => ({ ...counts, [key]: (counts[key] ?? 0) + 1 }), {});

async function measure(context: SideRunContext, main: N8nServer, bodies: unknown[], setup: Setup): Promise<CaseRun> {
	const hookPath = context.workflow.nodes.find((n) => n.type === 'n8n-nodes-base.webhook')?.parameters?.path as string;
	const workflowId = context.workflowId;
	await activate(main, workflowId);
	await waitForWebhook(main, hookPath);
	const before = new Set((await listExecutions(main, { workflowId })).map((e) => e.id));
	const memory = sampleMemory(setup.groups);
	const signal = AbortSignal.timeout(context.timeoutMs);
	const t0 = Date.now();
	const answers = await Promise.all(
		bodies.map(async (body) => {
			try {
				const response = await postWebhook(main, hookPath, body, { retryMs: 0, signal });
				await response.arrayBuffer();
				return { status: String(response.status), at: Date.now() };
			} catch (error) {
				return { status: signal.aborted ? 'timeout' : 'error', at: Date.now(), error: (error as Error).message };
			}
		}),
	);
	const wallMs = Math.max(...answers.map((a) => a.at)) - t0;
	const peaks = memory.stop();
	const timedOut = signal.aborted;

	// the executions as n8n recorded them (in regular mode an answer may come just before the record is final)
	let ids: string[] = [];
	for (const deadline = Date.now() + 15_000; ; await sleep(300)) {
		ids = (await listExecutions(main, { workflowId })).map((e) => e.id).filter((id) => !before.has(id));
		if (timedOut || ids.length >= bodies.length || Date.now() > deadline) break;
	}
	const executions: ExecutionDetail[] = [];
	for (const id of ids) executions.push(timedOut ? await getExecution(main, id) : await waitForExecution(main, id, 15_000));
	await deactivate(main, workflowId).catch(() => undefined);

	const node = 'FanPass';
	const runsOf = (e: ExecutionDetail) => ((e.data as { resultData?: { runData?: Record<string, Array<{ startTime?: number; executionTime?: number }>> } })?.resultData?.runData?.[node] ?? []);
	const nodeRuns = executions.flatMap(runsOf);
	const durationsMs = executions.filter((e) => e.startedAt && e.stoppedAt).map((e) => Date.parse(e.stoppedAt as string) - Date.parse(e.startedAt as string));
	const started = executions.map((e) => Date.parse(e.startedAt ?? '')).filter(Number.isFinite);
	const stopped = executions.map((e) => Date.parse(e.stoppedAt ?? '')).filter(Number.isFinite);
	const stats: ExecutionsStats = {
		mode: setup.mode,
		asked: bodies.length,
		answers: count(answers.map((a) => a.status)),
		statuses: count(executions.map((e) => e.status)),
		perProcess: count(executions.map((e) => setup.ranOn(e.id))),
		workerConcurrency: setup.workerConcurrency,
		durationsMs,
		memory: peaks,
		startupMs: setup.startupMs,
	};
	const failedAnswers = answers.filter((a) => a.status !== '200');
	const firstError = executions.map(executionError).find((e) => e !== undefined);
	const ok = !timedOut && failedAnswers.length === 0 && executions.length === bodies.length && executions.every((e) => e.status === 'success');
	const problem = firstError
		? firstError
		: failedAnswers.length
			? { message: `${failedAnswers.length} of ${bodies.length} webhook calls answered ${Object.keys(count(failedAnswers.map((a) => a.status))).join(', ')}${failedAnswers[0].error ? ` (${failedAnswers[0].error})` : ''}` }
			: executions.length !== bodies.length
				? { message: `${executions.length} executions recorded for ${bodies.length} webhook calls` }
				: !ok
					? { message: `executions ${JSON.stringify(stats.statuses)}` }
					: undefined;
	const data: RunData = {
		ok,
		error: problem,
		executionMs: started.length && stopped.length ? Math.max(...stopped) - Math.min(...started) : undefined,
		nodeMs: { [node]: nodeRuns.reduce((sum, r) => sum + (r.executionTime ?? 0), 0) },
		nodeWindow: {},
		outputCount: {},
		lastItems: [],
	};
	const memories = Object.values(peaks);
	return {
		code: ok ? 0 : 1,
		timedOut,
		wallMs,
		n8nPeakKb: Math.max(0, ...memories.map((m) => m.n8nMb)) * 1024,
		runnerPeakKb: Math.max(0, ...memories.map((m) => m.runnerMb)) * 1024,
		rssTimeline: [],
		stdoutFile: context.stdoutFile,
		stderrTail: problem?.message ?? '',
		data,
		executions: stats,
	};
}
