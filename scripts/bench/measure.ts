/**
 * One `n8n execute --id --rawOutput`, measured: wall time, and the peak RSS (VmHWM) of the n8n process
 * and of its task runner (which runs the Code nodes), sampled from /proc while it runs. n8n prints the
 * whole run data (every item of every node), so its stdout is a file: not held in memory here, and not
 * cut short (n8n calls process.exit right after printing, which drops what a pipe has not taken yet).
 */
import * as fs from 'node:fs';
import type { N8nInstall } from '../n8n-runtime/n8nInstall';
import { n8nEnv } from '../n8n-runtime/n8nEnv';
import { freePort, killGroup, spawnDetached } from '../n8n-runtime/processes';
import { groupMembers, memoryKb } from '../n8n-runtime/processMemory';

export interface MeasuredRun {
	/** the n8n process */
	pid?: number;
	code: number | null;
	timedOut: boolean;
	wallMs: number;
	/** VmHWM of the n8n process, kB */
	n8nPeakKb: number;
	/** highest VmHWM among the other processes of its group (the task runner), kB */
	runnerPeakKb: number;
	/** VmRSS of the n8n process over time: [epoch ms, kB], every SAMPLE_MS */
	rssTimeline: Array<[number, number]>;
	stdoutFile: string;
	stderrTail: string;
}

const SAMPLE_MS = 50;

export async function measuredExecute(install: N8nInstall, userFolder: string, workflowId: string, stdoutFile: string, timeoutMs: number, extraEnv: NodeJS.ProcessEnv): Promise<MeasuredRun> {
	const env = n8nEnv(install, userFolder, await freePort(), extraEnv);
	const t0 = Date.now();
	// bin/n8n is a wrapper that execs node: the child's pid is n8n's own
	const stdoutFd = fs.openSync(stdoutFile, 'w');
	const child = spawnDetached(install.n8nBin, ['execute', `--id=${workflowId}`, '--rawOutput'], { env, stdoutFd });
	fs.closeSync(stdoutFd);
	const pid = child.pid as number;
	let stderr = '';
	child.stderr?.on('data', (chunk: Buffer) => {
		stderr = (stderr + chunk.toString()).slice(-20_000);
	});
	const peaks = new Map<number, number>();
	let members = [pid];
	let ticks = 0;
	const rssTimeline: Array<[number, number]> = [];
	// VmHWM only grows, so frequent readings of a known pid are enough; the group is rescanned each second
	const sample = () => {
		if (ticks++ % 20 === 0) members = groupMembers(pid);
		for (const member of members) {
			const memory = memoryKb(member);
			peaks.set(member, Math.max(peaks.get(member) ?? 0, memory.peak));
			if (member === pid && memory.rss > 0) rssTimeline.push([Date.now(), memory.rss]);
		}
	};
	const sampler = setInterval(sample, SAMPLE_MS);
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		void killGroup(child);
	}, timeoutMs);
	const code = await new Promise<number | null>((resolve) => child.once('close', (exitCode) => resolve(exitCode)));
	const wallMs = Date.now() - t0;
	clearTimeout(timer);
	clearInterval(sampler);
	const n8nPeakKb = peaks.get(pid) ?? 0;
	const runnerPeakKb = Math.max(0, ...[...peaks].filter(([member]) => member !== pid).map(([, kb]) => kb));
	return { pid, code, timedOut, wallMs, n8nPeakKb, runnerPeakKb, rssTimeline, stdoutFile, stderrTail: stderr.slice(-3000) };
}

export interface RunData {
	ok: boolean;
	error?: { message?: string; description?: string; node?: unknown };
	/** stoppedAt - startedAt of the execution */
	executionMs?: number;
	/** executionTime of each node that ran (summed over its runs) */
	nodeMs: Record<string, number>;
	/** epoch ms from each node's first run's start to its last run's end */
	nodeWindow: Record<string, { start: number; end: number }>;
	/** items of each node's first output (last run) */
	outputCount: Record<string, number>;
	/** the last node's output items (json only), first 5 */
	lastItems: Array<Record<string, unknown>>;
}

/**
 * n8n prints the run as JSON.stringify(run, null, 2): a line "{" up to the last line "}" (a failed run
 * prints it after "Execution error:", followed by the error lines).
 */
export function readRunData(stdoutFile: string, lastNode: string): RunData | undefined {
	const text = fs.readFileSync(stdoutFile, 'utf8');
	const start = text.startsWith('{\n') ? 0 : text.indexOf('\n{\n') + 1;
	if (start < 0 || (start === 0 && !text.startsWith('{\n'))) return undefined;
	const end = text.indexOf('\n}\n', start);
	const close = end < 0 ? (text.endsWith('\n}') ? text.length - 1 : -1) : end + 1;
	if (close < 0) return undefined;
	let run: Record<string, any>;
	try {
		run = JSON.parse(text.slice(start, close + 1)) as Record<string, any>;
	} catch {
		return undefined;
	}
	const resultData = run.data?.resultData ?? {};
	const nodeMs: Record<string, number> = {};
	const outputCount: Record<string, number> = {};
	const nodeWindow: Record<string, { start: number; end: number }> = {};
	for (const [name, runs] of Object.entries(resultData.runData ?? {}) as Array<[string, any[]]>) {
		nodeMs[name] = runs.reduce((sum, r) => sum + (r.executionTime ?? 0), 0);
		const lastRun = runs[runs.length - 1];
		if (runs[0]?.startTime) nodeWindow[name] = { start: runs[0].startTime, end: (lastRun.startTime ?? 0) + (lastRun.executionTime ?? 0) };
		outputCount[name] = runs[runs.length - 1]?.data?.main?.[0]?.length ?? 0;
	}
	const lastRuns = (resultData.runData?.[lastNode] ?? []) as any[];
	const lastItems = ((lastRuns[lastRuns.length - 1]?.data?.main?.[0] ?? []) as Array<{ json: Record<string, unknown> }>).slice(0, 5).map((item) => item.json);
	const startedAt = Date.parse(run.startedAt);
	const stoppedAt = Date.parse(run.stoppedAt);
	return {
		ok: !resultData.error,
		error: resultData.error ? { message: resultData.error.message, description: resultData.error.description, node: resultData.error.node?.name ?? resultData.error.node } : undefined,
		executionMs: Number.isFinite(startedAt) && Number.isFinite(stoppedAt) ? stoppedAt - startedAt : undefined,
		nodeMs,
		nodeWindow,
		outputCount,
		lastItems,
	};
}

/**
 * How much the n8n process's RSS grew while the given nodes ran: the highest sample in their window
 * minus the last sample before it (kB), or undefined without samples on both sides.
 */
export function transientRssKb(timeline: Array<[number, number]>, window: { start: number; end: number } | undefined): number | undefined {
	if (!window) return undefined;
	const before = timeline.filter(([at]) => at <= window.start).pop();
	const during = timeline.filter(([at]) => at > window.start && at <= window.end + SAMPLE_MS);
	if (!before || during.length === 0) return undefined;
	return Math.max(0, Math.max(...during.map(([, kb]) => kb)) - before[1]);
}
