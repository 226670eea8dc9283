/**
 * The benchmark's tables (markdown, ready for the README): the sides of every case, the FanPass node's
 * own cost against the floor, issue 13's speed targets as verdicts, and the correctness targets that
 * decide the exit code. With --repeat=N every cell is the median over the runs with min-max after it.
 */
import { caseMetrics, SPEED_TARGETS, type CaseMetrics } from './caseMetrics';
import type { FloorResult } from './floor';
import { cell, spread } from './stats';
import { isFanPass, SIDE_LABELS, type Side } from './workflows';

/** A side run as many production executions at once (case 8), as n8n recorded them. */
export interface ExecutionsStats {
	mode: 'queue' | 'regular';
	/** webhook calls sent at once, one execution each */
	asked: number;
	/** the webhook calls' answers: HTTP status (or "timeout", "error") → count */
	answers: Record<string, number>;
	/** the new executions in n8n's executions table, by status */
	statuses: Record<string, number>;
	/** executions per process that ran them: the worker that logged "Worker started execution <id>", or main in regular mode */
	perProcess: Record<string, number>;
	/** queue mode: each worker's --concurrency */
	workerConcurrency?: number[];
	/** each execution's startedAt → stoppedAt */
	durationsMs: number[];
	/** peak memory per n8n process group (main, worker1, …): the group's summed RSS, VmHWM of n8n and of its task runner */
	memory: Record<string, { totalMb: number; n8nMb: number; runnerMb: number }>;
	/** starting what the side runs on (the stack, or main), before the first call: not in the wall time */
	startupMs: number;
}

export interface SideResult {
	caseId: string;
	caseTitle: string;
	side: Side;
	/** 1-based run of --repeat */
	round: number;
	/** input items the side's nodes got */
	items: number;
	/** exit 0 and no execution error */
	finished: boolean;
	timedOut: boolean;
	error?: string;
	/** the `n8n execute` process, start to exit (n8n's own start-up of a few seconds included) */
	wallMs: number;
	/** the execution's startedAt → stoppedAt */
	executionMs?: number;
	/** executionTime of the side's own nodes (the FanPass node; or the Code + HTTP Request nodes) */
	workMs?: number;
	/** wall time during which the sandbox was handling at least one request */
	sandboxBusyMs: number;
	sandboxHandlingMs: number;
	/** the most requests the sandbox had in progress at once, and the most connections open that carried them */
	peakInFlight: number;
	peakOpenConnections?: number;
	requests: { total: number; byPathAndStatus: Record<string, number>; faulted: number };
	n8nPeakMb: number;
	runnerPeakMb: number;
	/** growth of the n8n process's RSS while the side's nodes ran (sampled) */
	transientMb?: number;
	/** size of the file uploaded, when one was */
	fileBytes?: number;
	correct: boolean;
	stateDetail: string;
	nodeMs: Record<string, number>;
	lastItems: Array<Record<string, unknown>>;
	minRequests?: number;
	/** the FanPass side only: the floor measured right after it */
	floor?: FloorResult;
	floorError?: string;
	/** --cpu-prof: the profile's summary */
	profile?: string;
	/** case 8: the executions (wallMs is then the first webhook call to the last answer) */
	executions?: ExecutionsStats;
}

const int = (value: number) => Math.round(value).toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const millis = (ms: number) => (ms >= 1000 ? seconds(ms) : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`);
const micros = (ms: number) => (ms >= 1000 ? seconds(ms) : ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(ms < 0.01 ? 2 : 1)} µs`);
const times = (value: number) => `×${value.toFixed(value < 0.1 ? 3 : 2)}`;
const mb = (value: number) => `${int(value)} MB`;

function requestsCell(runs: SideResult[]): string {
	const r = runs[0];
	const notOk = Object.entries(r.requests.byPathAndStatus)
		.filter(([key]) => !key.endsWith(' 200'))
		.map(([key, count]) => `${int(count)}× ${key.split(' ').pop()}`);
	const totals = runs.map((run) => run.requests.total);
	const total = new Set(totals).size === 1 ? int(totals[0]) : cell(totals, int);
	return `${total}${notOk.length ? ` (${notOk.join(', ')})` : ''}`;
}

function outcomeOf(result: SideResult): string {
	if (result.timedOut) return 'did not finish';
	if (!result.finished) {
		const error = result.error ?? '';
		const status = /\((\d{3}) - /.exec(error)?.[1] ?? (/too many requests/i.test(error) ? '429' : undefined);
		return status ? `failed (HTTP ${status})` : `failed: ${error.slice(0, 60)}`;
	}
	return 'ok';
}

/** The same text for every run, or each distinct one with its count. */
function agreed(texts: string[]): string {
	const counts = new Map<string, number>();
	for (const text of texts) counts.set(text, (counts.get(text) ?? 0) + 1);
	return counts.size === 1 ? texts[0] : [...counts].map(([text, n]) => `${text} (${n}/${texts.length})`).join('; ');
}

interface Target {
	name: string;
	met: boolean;
	detail: string;
}

/** Case ids in the order they ran, with their titles. */
function casesOf(results: SideResult[]): Array<{ id: string; title: string }> {
	const seen = new Map<string, string>();
	for (const r of results) if (!seen.has(r.caseId)) seen.set(r.caseId, r.caseTitle);
	return [...seen].map(([id, title]) => ({ id, title }));
}

/** The FanPass sides whose final state decides the exit code (the others vary one option of the node). */
const JUDGED_SIDES = new Set<Side>(['fanpass', 'fanpass-skip', 'fanpass-queue', 'fanpass-regular']);

/** The targets the exit code follows: the fewest requests and a correct final state, in every run. */
function correctnessTargets(results: SideResult[]): Target[] {
	const list: Target[] = [];
	for (const { id } of casesOf(results)) {
		const runs = results.filter((r) => r.caseId === id && JUDGED_SIDES.has(r.side));
		if (runs.length === 0) continue;
		const min = runs[0].minRequests;
		if (min !== undefined) {
			list.push({
				name: `case ${id}: FanPass node sends the minimum, ${min} request(s)`,
				met: runs.every((r) => r.finished && r.requests.total === min),
				detail: `${agreed(runs.map((r) => String(r.requests.total)))} sent`,
			});
		}
		list.push({
			name: `case ${id}: FanPass node ends with a correct state`,
			met: runs.every((r) => r.finished && r.correct),
			detail: agreed(runs.map((r) => (r.timedOut ? `did not finish; ${r.stateDetail}` : r.stateDetail))),
		});
	}
	return list;
}

function sidesTable(results: SideResult[]): void {
	console.log("| Case | Side | Outcome | Requests | Wall (n8n process) | Execution | Side's nodes | Sandbox busy | Peak RSS n8n / runner | State correct | FanPass vs baseline (side's nodes, requests, n8n RSS) |");
	console.log('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |');
	for (const benchCase of casesOf(results)) {
		const caseRuns = results.filter((r) => r.caseId === benchCase.id);
		const sides = [...new Set(caseRuns.map((r) => r.side))];
		const baselineSide = sides.find((side) => !isFanPass(side));
		for (const side of sides) {
			const runs = caseRuns.filter((r) => r.side === side);
			let vs = '';
			if (isFanPass(side) && baselineSide) {
				const pair = (get: (r: SideResult) => number | undefined) =>
					runs.map((r) => {
						const base = caseRuns.find((b) => b.side === baselineSide && b.round === r.round);
						const a = get(r);
						const b = base ? get(base) : undefined;
						return a === undefined || b === undefined || b === 0 ? undefined : a / b;
					});
				vs = `${cell(pair((r) => r.workMs), times)}, ${cell(pair((r) => r.requests.total), times)}, ${cell(pair((r) => r.n8nPeakMb), times)}`;
			}
			const state = runs.every((r) => r.correct) ? 'yes' : `**no**: ${agreed(runs.filter((r) => !r.correct).map((r) => r.stateDetail))}`;
			console.log(
				`| ${benchCase.id}. ${benchCase.title} | ${SIDE_LABELS[side]} | ${agreed(runs.map(outcomeOf))} | ${requestsCell(runs)} | ${cell(runs.map((r) => r.wallMs), seconds)} | ${cell(runs.map((r) => r.executionMs), seconds)} | ${cell(runs.map((r) => r.workMs), seconds)} | ${cell(runs.map((r) => r.sandboxBusyMs), seconds)} | ${cell(runs.map((r) => r.n8nPeakMb), int)} / ${runs.every((r) => r.runnerPeakMb === 0) ? '–' : cell(runs.map((r) => r.runnerPeakMb), int)} MB | ${state} | ${vs} |`,
			);
		}
	}
}

const median = (values: number[]) => spread(values)?.median;

/** "worker1 10, worker2 10" */
const perProcessText = (perProcess: Record<string, number>) =>
	Object.entries(perProcess)
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([name, n]) => `${name} ${n}`)
		.join(', ') || 'none';

/** One line for the run's progress output. */
export function executionsLine(e: ExecutionsStats): string {
	const ok = e.statuses.success ?? 0;
	const answers = Object.entries(e.answers).map(([status, n]) => `${n}× ${status}`).join(', ');
	const durations = e.durationsMs.length ? `; each ${seconds(median(e.durationsMs) as number)} median, ${seconds(Math.max(...e.durationsMs))} max` : '';
	return `${e.mode} mode: ${ok}/${e.asked} executions success (answers ${answers}), ran on ${perProcessText(e.perProcess)}${durations}; ${e.mode === 'queue' ? 'stack' : 'main'} started in ${seconds(e.startupMs)}`;
}

/** Case 8: the executions of every side, and queue mode against regular mode. */
function executionsTable(results: SideResult[]): void {
	const withExecutions = results.filter((r) => r.executions);
	if (withExecutions.length === 0) return;
	console.log(
		"\nProduction executions at once (case 8): webhook calls sent together, each answered when its execution has finished. Wall: the first call sent to the last answer. Execution: n8n's startedAt → stoppedAt of each (median / max). FanPass node: its executionTime summed over the executions. Ran on: executions per process (a worker's log; main in regular mode). Peak RSS: per process group (n8n + task runner), the fullest sample. Start-up (not in the wall time): the queue-mode stack (Redis, PostgreSQL, main, 2 workers) or the one main.\n",
	);
	console.log('| Case | Side | Executions ok | Requests | Wall | Execution median / max | FanPass node, summed | Ran on | Peak in flight | Peak RSS per process | Start-up | State correct | Wall ÷ regular mode |');
	console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- | ---: | --- | ---: |');
	for (const benchCase of casesOf(withExecutions)) {
		const caseRuns = withExecutions.filter((r) => r.caseId === benchCase.id);
		for (const side of [...new Set(caseRuns.map((r) => r.side))]) {
			const runs = caseRuns.filter((r) => r.side === side);
			const stats = runs.map((r) => r.executions as ExecutionsStats);
			const ok = agreed(stats.map((e) => `${e.statuses.success ?? 0} / ${e.asked}`));
			const durations = `${cell(stats.map((e) => median(e.durationsMs)), seconds)} / ${cell(stats.map((e) => (e.durationsMs.length ? Math.max(...e.durationsMs) : undefined)), seconds)}`;
			const ranOn = agreed(stats.map((e) => perProcessText(e.perProcess) + (e.workerConcurrency ? ` (concurrency ${e.workerConcurrency.join(' + ')})` : '')));
			const memory = agreed(stats.map((e) => Object.entries(e.memory).map(([name, m]) => `${name} ${int(m.totalMb)}`).join(', ') + ' MB'));
			const vsRegular =
				side === 'fanpass-regular'
					? ''
					: cell(
							runs.map((r) => {
								const regular = caseRuns.find((b) => b.side === 'fanpass-regular' && b.round === r.round);
								return regular?.finished && r.finished && regular.wallMs > 0 ? r.wallMs / regular.wallMs : undefined;
							}),
							times,
						);
			const state = runs.every((r) => r.correct) ? 'yes' : `**no**: ${agreed(runs.filter((r) => !r.correct).map((r) => r.stateDetail))}`;
			console.log(
				`| ${benchCase.id} | ${SIDE_LABELS[side]} | ${ok} | ${requestsCell(runs)} | ${cell(runs.map((r) => r.wallMs), seconds)} | ${durations} | ${cell(runs.map((r) => r.workMs), seconds)} | ${ranOn} | ${cell(runs.map((r) => r.peakInFlight), int)} | ${memory} | ${cell(stats.map((e) => e.startupMs), seconds)} | ${state} | ${vsRegular} |`,
			);
		}
	}
}

function floorTable(results: SideResult[], metrics: CaseMetrics[]): void {
	const cases = casesOf(results).filter(({ id }) => metrics.some((m) => m.caseId === id));
	if (cases.length === 0) return;
	console.log(
		"\nThe FanPass node's own cost against the floor measured in the same run. Node: the node's executionTime in n8n. Floor: the per-item work outside n8n (read the ID path, normalise, de-duplicate, build the body or CSV; the fastest of 3) plus the same requests sent by a minimal client (a fresh http.Agent per request, like n8n's helper), one at a time and at 4 concurrent. n8n's function: the same requests through n8n's own request function (2.x: @n8n/backend-network's httpRequest; 1.x: n8n-core's; what the node's helper ends in), one at a time, per request; Node ÷ (work + n8n's function) is the node's share above what n8n itself costs. Peak in flight: the most requests the sandbox was handling at once / the most connections open at once that carried requests.\n",
	);
	console.log("| Case | Items | Requests | Node | per item | per request | Floor: work | Floor: requests 1 / 4 at a time | Floor | Node ÷ floor | n8n's function per request | Node ÷ (work + n8n's function) | Node ÷ baseline | Peak in flight: node; floor at 4 | Floor bodies | Node transient RSS / file |");
	console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |');
	for (const { id } of cases) {
		const runs = metrics.filter((m) => m.caseId === id);
		const floors = runs.map((m) => m.floor).filter((f): f is FloorResult => !!f);
		const send = (concurrency: number) => floors.map((f) => f.sends.find((s) => s.concurrency === concurrency)?.ms);
		const sends = floors.some((f) => f.sends.length > 1) ? `${cell(send(1), millis)} / ${cell(send(4), millis)}` : cell(send(1), millis);
		const at4 = (get: (send: FloorResult['sends'][number]) => number) => floors.map((f) => { const send = f.sends.find((s) => s.concurrency === 4); return send ? get(send) : undefined; });
		const peakFloor = floors.some((f) => f.sends.length > 1) ? `${cell(at4((s) => s.peakInFlight), int)} / ${cell(at4((s) => s.peakOpenConnections), int)}` : '–';
		const nodeRuns = results.filter((r) => r.caseId === id && r.side === 'fanpass');
		const peakNode = `${cell(nodeRuns.map((r) => r.peakInFlight), int)} / ${cell(nodeRuns.map((r) => r.peakOpenConnections), int)}`;
		const bodies = floors.length ? agreed(floors.map((f) => (f.identical ? 'identical' : `**differ**: ${f.detail}`))) : (results.find((r) => r.caseId === id && r.side === 'fanpass')?.floorError ?? '–');
		const memory = runs.some((m) => m.fileMb !== undefined) ? `${cell(runs.map((m) => m.transientMb), mb)} / ${cell(runs.map((m) => m.fileMb), (v) => `${v.toFixed(v < 1 ? 3 : 1)} MB`)}` : cell(runs.map((m) => m.transientMb), mb);
		console.log(
			`| ${id} | ${int(runs[0].items)} | ${cell(runs.map((m) => m.requests), int)} | ${cell(runs.map((m) => m.nodeMs), millis)} | ${cell(runs.map((m) => m.perItemMs), micros)} | ${cell(runs.map((m) => m.perRequestMs), micros)} | ${cell(floors.map((f) => f.workMs), millis)} | ${sends} | ${cell(floors.map((f) => f.floorMs), millis)} | ${cell(runs.map((m) => m.vsFloor), times)} | ${cell(runs.map((m) => m.n8nHelperPerRequestMs), micros)} | ${cell(runs.map((m) => m.vsN8nHelper), times)} | ${cell(runs.map((m) => m.vsBaseline), times)} | ${peakNode}; ${peakFloor} | ${bodies} | ${memory} |`,
		);
	}
}

function speedTargetsTable(metrics: CaseMetrics[]): void {
	const targets = SPEED_TARGETS.filter((t) => metrics.some((m) => m.caseId === t.caseId));
	if (targets.length === 0) return;
	console.log("\nIssue 13's targets (the median over the runs decides; not part of the exit code: times vary on a shared machine):\n");
	console.log('| Case | Target | Measured | Verdict |');
	console.log('| --- | --- | ---: | --- |');
	for (const target of targets) {
		const values = metrics.filter((m) => m.caseId === target.caseId).map(target.value);
		const s = spread(values);
		const metIn = values.filter((v) => v !== undefined && v <= target.limit).length;
		const verdict = !s ? 'not measured' : `${s.median <= target.limit ? '**met**' : 'not met'}${values.length > 1 ? ` (${metIn} of ${values.length} runs)` : ''}`;
		console.log(`| ${target.caseId} | ${target.name} | ${cell(values, target.format)} | ${verdict} |`);
	}
}

export function printReport(results: SideResult[], meta: { mode: string; totalMs: number; n8nVersion: string; repeat?: number }): boolean {
	const repeat = meta.repeat ?? 1;
	console.log(`\n================ results (${meta.mode}, n8n ${meta.n8nVersion}${repeat > 1 ? `, ${repeat} runs: median (min-max)` : ''}) ================\n`);
	sidesTable(results);
	executionsTable(results);
	const metrics = caseMetrics(results);
	floorTable(results, metrics);
	speedTargetsTable(metrics);
	const checks = correctnessTargets(results);
	console.log('\nTargets (the exit code):\n');
	for (const t of checks) console.log(`- ${t.met ? 'MET' : 'NOT MET'}: ${t.name} (${t.detail})`);
	for (const r of results.filter((r) => r.profile)) console.log(`\n${r.profile}`);
	console.log(`\ntotal ${seconds(meta.totalMs)}`);
	return checks.every((t) => t.met);
}
