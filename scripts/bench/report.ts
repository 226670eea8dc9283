/** The benchmark's table (markdown, ready for the README) and its target checks. */
import type { BenchCase } from './cases';
import { isFanPass, SIDE_LABELS, type Side } from './workflows';

export interface SideResult {
	caseId: string;
	caseTitle: string;
	side: Side;
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
	requests: { total: number; byPathAndStatus: Record<string, number>; faulted: number };
	n8nPeakMb: number;
	runnerPeakMb: number;
	correct: boolean;
	stateDetail: string;
	nodeMs: Record<string, number>;
	lastItems: Array<Record<string, unknown>>;
	minRequests?: number;
}

const int = (value: number) => Math.round(value).toLocaleString('en-US');
const seconds = (ms: number | undefined) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`);
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || b === 0 ? '–' : `×${(a / b).toFixed(a / b < 0.1 ? 3 : 2)}`);

function requestsCell(result: SideResult): string {
	const notOk = Object.entries(result.requests.byPathAndStatus)
		.filter(([key]) => !key.endsWith(' 200'))
		.map(([key, count]) => `${int(count)}× ${key.split(' ').pop()}`);
	return `${int(result.requests.total)}${notOk.length ? ` (${notOk.join(', ')})` : ''}`;
}

function outcomeCell(result: SideResult): string {
	if (result.timedOut) return 'did not finish';
	if (!result.finished) return `failed: ${(result.error ?? '').slice(0, 80)}`;
	return 'ok';
}

interface Target {
	name: string;
	met: boolean;
	detail: string;
}

function targets(results: SideResult[], cases: BenchCase[]): Target[] {
	const list: Target[] = [];
	for (const benchCase of cases) {
		const node = results.find((r) => r.caseId === benchCase.id && r.side === 'fanpass');
		if (!node) continue;
		if (benchCase.minRequests !== undefined) {
			list.push({
				name: `case ${benchCase.id}: FanPass node sends the minimum, ${benchCase.minRequests} request(s)`,
				met: node.finished && node.requests.total === benchCase.minRequests,
				detail: `${node.requests.total} sent`,
			});
		}
		list.push({ name: `case ${benchCase.id}: FanPass node ends with a correct state`, met: node.finished && node.correct, detail: node.stateDetail });
	}
	return list;
}

export function printReport(results: SideResult[], cases: BenchCase[], meta: { mode: string; totalMs: number; n8nVersion: string }): boolean {
	console.log(`\n================ results (${meta.mode}, n8n ${meta.n8nVersion}) ================\n`);
	console.log('| Case | Side | Outcome | Requests | Wall (n8n process) | Execution | Side\'s nodes | Sandbox busy | Peak RSS n8n / runner | State correct | FanPass vs baseline (execution, requests, n8n RSS) |');
	console.log('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |');
	for (const benchCase of cases) {
		const rows = results.filter((r) => r.caseId === benchCase.id);
		const baseline = rows.find((r) => !isFanPass(r.side));
		for (const r of rows) {
			const vs =
				isFanPass(r.side) && baseline
					? `${ratio(r.executionMs, baseline.executionMs)}, ${ratio(r.requests.total, baseline.requests.total)}, ${ratio(r.n8nPeakMb, baseline.n8nPeakMb)}`
					: '';
			console.log(
				`| ${benchCase.id}. ${benchCase.title} | ${SIDE_LABELS[r.side]} | ${outcomeCell(r)} | ${requestsCell(r)} | ${seconds(r.wallMs)} | ${seconds(r.executionMs)} | ${seconds(r.workMs)} | ${seconds(r.sandboxBusyMs)} | ${int(r.n8nPeakMb)} / ${int(r.runnerPeakMb)} MB | ${r.correct ? 'yes' : `**no**: ${r.stateDetail}`} | ${vs} |`,
			);
		}
	}
	const own = results.filter((r) => isFanPass(r.side) && r.workMs !== undefined);
	if (own.length) {
		console.log('\nFanPass node: its own time (the node\'s execution time minus the time the sandbox was busy answering it):\n');
		for (const r of own) {
			const work = r.workMs as number;
			console.log(`- case ${r.caseId}${r.side === 'fanpass' ? '' : ` (${SIDE_LABELS[r.side]})`}: node ${seconds(work)}, sandbox busy ${seconds(r.sandboxBusyMs)}, node's own ${seconds(Math.max(0, work - r.sandboxBusyMs))}`);
		}
	}
	const checks = targets(results, cases);
	console.log('\nTargets:\n');
	for (const t of checks) console.log(`- ${t.met ? 'MET' : 'NOT MET'}: ${t.name} (${t.detail})`);
	console.log(`\ntotal ${seconds(meta.totalMs)}`);
	return checks.every((t) => t.met);
}
