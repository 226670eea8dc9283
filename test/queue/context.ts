/** What every queue suite gets: the running stack, the sandbox, the checks, and helpers over main's REST API. */
import type { Checks } from '../../scripts/n8n-runtime/checks';
import { getExecution, listExecutions, postWebhook as postToWebhook, waitForExecution, type ExecutionDetail } from '../../scripts/n8n-runtime/n8nExecutions';
import type { N8nWorker } from '../../scripts/n8n-runtime/n8nWorker';
import { sleep } from '../../scripts/n8n-runtime/processes';
import type { QueueStack } from '../../scripts/n8n-runtime/queueStack';
import type { SandboxProcess } from '../../scripts/n8n-runtime/sandboxProcess';

export interface QueueContext {
	version: string;
	stack: QueueStack;
	sandbox: SandboxProcess;
	checks: Checks;
	/** numbers for the summary: name → value (with its unit in the name) */
	measured: Record<string, string | number>;
	/** what n8n did, for the README (stated from the run) */
	observed: Record<string, string>;
}

/** POST JSON (or a FormData) to a production webhook on main (retried while main still answers 404 right after activation). */
export function postWebhook(ctx: QueueContext, hookPath: string, body: unknown): Promise<Response> {
	return postToWebhook(ctx.stack.main, hookPath, body);
}

/** The ids of a workflow's executions n8n has recorded so far. */
export async function executionIds(ctx: QueueContext, workflowId: string): Promise<Set<string>> {
	return new Set((await listExecutions(ctx.stack.main, { workflowId })).map((e) => e.id));
}

/** Waits for `count` executions of the workflow that are not in `before`, then until each has finished. */
export async function newExecutions(ctx: QueueContext, workflowId: string, before: Set<string>, count = 1, timeoutMs = 90_000): Promise<ExecutionDetail[]> {
	const deadline = Date.now() + timeoutMs;
	let ids: string[] = [];
	for (;;) {
		ids = (await listExecutions(ctx.stack.main, { workflowId })).map((e) => e.id).filter((id) => !before.has(id));
		if (ids.length >= count || Date.now() > deadline) break;
		await sleep(300);
	}
	return await Promise.all(ids.slice(0, Math.max(count, ids.length)).map((id) => waitForExecution(ctx.stack.main, id, Math.max(1000, deadline - Date.now()))));
}

/** The worker that logged "Worker started execution <id>" (n8n's own record of who ran it), if any. */
export function workerOf(ctx: QueueContext, executionId: string): N8nWorker | undefined {
	return ctx.stack.workers.find((w) => w.startedExecutions().includes(executionId));
}

/** Checks that the execution succeeded and that a worker, not main, ran it; returns that worker's name. */
export function ranOnWorker(ctx: QueueContext, label: string, execution: ExecutionDetail | undefined): string | undefined {
	const worker = execution ? workerOf(ctx, execution.id) : undefined;
	ctx.checks.check(`${label}: execution ${execution?.id} (${execution?.mode}) ${execution?.status}, run by ${worker?.name ?? 'no worker'}`, execution?.status === 'success' && worker !== undefined, execution && { status: execution.status, mode: execution.mode });
	return worker?.name;
}

export const reload = (ctx: QueueContext, id: string): Promise<ExecutionDetail> => getExecution(ctx.stack.main, id);
