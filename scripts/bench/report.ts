/** The benchmark's table (markdown, ready for the README) and its target checks. */
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
	if (!result.finished) {
		const error = result.error ?? '';
		const status = /\((\d{3}) - /.exec(error)?.[1] ?? (/too many requests/i.test(error) ? '429' : undefined);
		return status ? `failed (HTTP ${status})` : `failed: ${error.slice(0, 60)}`;
	}
	return 'ok';
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

function targets(results: SideResult[]): Target[] {
	const list: Target[] = [];
	for (const node of results.filter((r) => r.side === 'fanpass')) {
		if (node.minRequests !== undefined) {
			list.push({
				name: `case ${node.caseId}: FanPass node sends the minimum, ${node.minRequests} request(s)`,
				met: node.finished && node.requests.total === node.minRequests,
				detail: `${node.requests.total} sent`,
			});
		}
		list.push({ name: `case ${node.caseId}: FanPass node ends with a correct state`, met: node.finished && node.correct, detail: node.timedOut ? `did not finish; ${node.stateDetail}` : node.stateDetail });
	}
	return list;
}

export function printReport(results: SideResult[], meta: { mode: string; totalMs: number; n8nVersion: string }): boolean {
	console.log(`\n================ results (${meta.mode}, n8n ${meta.n8nVersion}) ================\n`);
	console.log('| Case | Side | Outcome | Requests | Wall (n8n process) | Execution | Side\'s nodes | Sandbox busy | Peak RSS n8n / runner | State correct | FanPass vs baseline (execution, requests, n8n RSS) |');
	console.log('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |');
	for (const benchCase of casesOf(results)) {
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
			const waits = r.requests.faulted > 0 ? `, which includes its waits before ${r.requests.faulted} retries` : '';
			console.log(
				`- case ${r.caseId}${r.side === 'fanpass' ? '' : ` (${SIDE_LABELS[r.side]})`}: node ${seconds(work)}, sandbox busy ${seconds(r.sandboxBusyMs)}, node's own ${seconds(Math.max(0, work - r.sandboxBusyMs))}${waits}`,
			);
		}
	}
	const checks = targets(results);
	console.log('\nTargets:\n');
	for (const t of checks) console.log(`- ${t.met ? 'MET' : 'NOT MET'}: ${t.name} (${t.detail})`);
	console.log(`\ntotal ${seconds(meta.totalMs)}`);
	return checks.every((t) => t.met);
}
