/**
 * Executions through main's REST API: manual runs, activation, production webhook calls, waiting for and
 * reading executions.
 * n8n 2.x publishes a version (POST …/activate) and runs from a named trigger; 1.x PATCHes `active` and
 * takes the whole workflow in the run request.
 */
import { unwrap, type N8nServer } from './n8nServer';
import { sleep } from './processes';

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	mode: string;
	status: string;
	startedAt?: string | null;
	stoppedAt?: string | null;
	retryOf?: string | null;
}

export interface ExecutionDetail extends ExecutionSummary {
	/** n8n's flatted run data, parsed: resultData.runData[node][run].data.main[output][item] */
	data: unknown;
}

const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

/** POST /rest/workflows/:id/run from a trigger node, as the editor's "Execute workflow" does. */
const isV1 = (main: N8nServer) => main.version.startsWith('1.');

export async function runManually(main: N8nServer, workflowId: string, triggerName: string): Promise<{ executionId: string }> {
	const body = isV1(main)
		? { workflowData: unwrap<Record<string, unknown>>(await main.rest('GET', `/rest/workflows/${workflowId}`)), triggerToStartFrom: { name: triggerName } }
		: { triggerToStartFrom: { name: triggerName } };
	return unwrap<{ executionId: string }>(await main.rest('POST', `/rest/workflows/${workflowId}/run`, body));
}

/** Publishes (activates) a workflow: its triggers (webhooks, schedules) start production runs. */
export async function activate(main: N8nServer, workflowId: string): Promise<void> {
	const workflow = unwrap<{ versionId: string }>(await main.rest('GET', `/rest/workflows/${workflowId}`));
	if (isV1(main)) await main.rest('PATCH', `/rest/workflows/${workflowId}`, { active: true, versionId: workflow.versionId });
	else await main.rest('POST', `/rest/workflows/${workflowId}/activate`, { versionId: workflow.versionId });
}

export async function deactivate(main: N8nServer, workflowId: string): Promise<void> {
	if (isV1(main)) {
		const workflow = unwrap<{ versionId: string }>(await main.rest('GET', `/rest/workflows/${workflowId}`));
		await main.rest('PATCH', `/rest/workflows/${workflowId}`, { active: false, versionId: workflow.versionId });
	} else await main.rest('POST', `/rest/workflows/${workflowId}/deactivate`, {});
}

/**
 * POST JSON (or a FormData) to a production webhook on main. Right after activation main may still answer
 * 404 (the webhook is not registered yet, nothing ran): such a call is sent again, for up to retryMs.
 */
export async function postWebhook(main: N8nServer, hookPath: string, body: unknown, options: { retryMs?: number; signal?: AbortSignal } = {}): Promise<Response> {
	const form = body instanceof FormData;
	const deadline = Date.now() + (options.retryMs ?? 15_000);
	for (;;) {
		const response = await fetch(`${main.url}/webhook/${hookPath}`, {
			method: 'POST',
			headers: form ? undefined : { 'content-type': 'application/json' },
			body: form ? body : JSON.stringify(body),
			signal: options.signal,
		});
		if (response.status !== 404 || Date.now() > deadline) return response;
		await response.arrayBuffer();
		await sleep(250);
	}
}

/**
 * Waits until main has registered the production webhook, without running it: a CORS preflight (OPTIONS
 * with an Origin) answers 204 for a registered path and 404 otherwise (n8n 1.x and 2.x).
 */
export async function waitForWebhook(main: N8nServer, hookPath: string, method = 'POST', timeoutMs = 15_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const response = await fetch(`${main.url}/webhook/${hookPath}`, { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1', 'access-control-request-method': method } });
		await response.arrayBuffer();
		if (response.status === 204) return;
		if (Date.now() > deadline) throw new Error(`webhook ${method} /webhook/${hookPath} was not registered after ${timeoutMs} ms (OPTIONS answered ${response.status})`);
		await sleep(250);
	}
}

export async function listExecutions(main: N8nServer, filter: Record<string, unknown> = {}, limit = 250): Promise<ExecutionSummary[]> {
	const query = `filter=${encodeURIComponent(JSON.stringify(filter))}&limit=${limit}`;
	return unwrap<{ results: ExecutionSummary[] }>(await main.rest('GET', `/rest/executions?${query}`)).results;
}

export async function getExecution(main: N8nServer, id: string): Promise<ExecutionDetail> {
	const raw = unwrap<ExecutionSummary & { data: string }>(await main.rest('GET', `/rest/executions/${id}`));
	return { ...raw, data: unflatten(raw.data) };
}

/** Polls until the execution has finished (or the timeout passes: then returns it as it is). */
export async function waitForExecution(main: N8nServer, id: string, timeoutMs: number): Promise<ExecutionDetail> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const execution = await getExecution(main, id);
		if (FINISHED.has(execution.status) || Date.now() > deadline) return execution;
		await sleep(300);
	}
}

/** The output items of a node's last run, from an execution's data. */
export function nodeItems(execution: ExecutionDetail, node: string, output = 0): Array<{ json: Record<string, unknown>; binary?: Record<string, unknown> }> {
	const runData = (execution.data as { resultData?: { runData?: Record<string, Array<{ data?: { main?: unknown[][] } }>> } })?.resultData?.runData;
	const runs = runData?.[node] ?? [];
	return (runs[runs.length - 1]?.data?.main?.[output] ?? []) as Array<{ json: Record<string, unknown> }>;
}

/** The error n8n recorded for an execution, if any. */
export function executionError(execution: ExecutionDetail): { message?: string; description?: string } | undefined {
	return (execution.data as { resultData?: { error?: { message?: string; description?: string } } })?.resultData?.error;
}

/**
 * n8n stores run data as `flatted` text (an array of values; inside objects and arrays every string is the index of
 * another entry); 1.x and 2.x alike. A small reader so the scripts need no dependency for it.
 */
export function unflatten(text: unknown): unknown {
	if (typeof text !== 'string') return text;
	const table = JSON.parse(text) as unknown[];
	if (!Array.isArray(table)) return table;
	const done = new Map<number, unknown>();
	const revive = (index: number): unknown => {
		if (done.has(index)) return done.get(index);
		const value = table[index];
		if (value === null || typeof value !== 'object') {
			done.set(index, value);
			return value;
		}
		const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : {};
		done.set(index, copy);
		for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
			(copy as Record<string, unknown>)[key] = typeof entry === 'string' ? revive(Number(entry)) : entry;
		}
		return copy;
	};
	return revive(0);
}
