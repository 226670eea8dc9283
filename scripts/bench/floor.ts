/**
 * The floor of one case, measured in its own process on the Node.js n8n runs on (run.ts starts it right
 * after the FanPass node's run, with what the sandbox recorded of that run):
 *
 *   work      the per-item work outside n8n (floorWork.ts), the fastest of a few runs
 *   requests  the same requests sent by a minimal client (floorClient.ts: a fresh agent per request),
 *             one at a time and, when there are several, at the node's concurrency
 *   n8n       the same requests through n8n's own request function, one at a time (floorN8nHelper.ts;
 *             2.x only): not part of the floor, the share of a request that is n8n's, not the node's
 *
 *   node scripts/bench/floor.ts <spec.json>   prints one line of JSON (FloorResult)
 */
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { sendAll, type FloorRequest } from './floorClient';
import { loadN8nHttpRequest, sendThroughN8n } from './floorN8nHelper';
import { segmentWork, usersWork, type RecordedRequest, type WorkResult } from './floorWork';
import { generateItems, type Input } from './inputs';

export interface FloorSpec {
	input: Input;
	baseUrl: string;
	token: string;
	/** the FanPass node's requests as the sandbox recorded them */
	recorded: RecordedRequest[];
	/** Update User's batch size (user IDs per request) */
	batchSize: number;
	/** besides one at a time */
	concurrency: number;
	/** runs of the work; the fastest counts */
	workRuns: number;
	/** the n8n install (.cache/n8n/<version>), for its request function */
	n8nHome?: string;
}

export interface FloorSend {
	concurrency: number;
	ms: number;
	peakInFlight: number;
	peakOpenConnections: number;
	/** time the sandbox was handling at least one of them */
	sandboxBusyMs: number;
	/** HTTP statuses other than 200, by status */
	notOk: Record<string, number>;
}

export interface FloorResult {
	workMs: number;
	/** every run of the work, ms */
	workRunsMs: number[];
	requests: number;
	identical: boolean;
	detail: string;
	fileBytes?: number;
	sends: FloorSend[];
	/** work + the fastest send */
	floorMs: number;
	/** the same requests through n8n's request function, one at a time (2.x) */
	n8nHelper?: { ms: number; notOk: Record<string, number> };
}

async function control(baseUrl: string, what: 'reset' | 'summary'): Promise<{ requests: { peakInFlight: number; peakOpenConnections: number; busyMs: number } } | undefined> {
	const response = await fetch(`${baseUrl}/__sandbox/${what}`, { method: what === 'reset' ? 'POST' : 'GET' });
	if (!response.ok) throw new Error(`sandbox ${what} answered ${response.status}`);
	return what === 'summary' ? ((await response.json()) as { requests: { peakInFlight: number; peakOpenConnections: number; busyMs: number } }) : undefined;
}

/** One request the API does not see, so a client's code paths are warm, as n8n's are by its start-up. */
const WARM_UP: FloorRequest[] = [{ path: '/__sandbox/health', contentType: 'application/json', body: Buffer.from('{}') }];

/** How many answers had each status other than 200. */
function countNotOk(statuses: number[]): Record<string, number> {
	const notOk: Record<string, number> = {};
	for (const status of statuses) if (status !== 200) notOk[status] = (notOk[status] ?? 0) + 1;
	return notOk;
}

export async function measureFloor(spec: FloorSpec): Promise<FloorResult> {
	const items = generateItems(spec.input);
	const work = (): WorkResult =>
		spec.input.kind === 'users'
			? usersWork(items, spec.batchSize, spec.recorded)
			: segmentWork(items, spec.input.perItem === 1 ? 'ticketing_id' : 'ticketing_ids', spec.recorded[0] ?? { path: '/api/v1/segments', contentType: 'application/json' });
	const workRunsMs: number[] = [];
	let result: WorkResult | undefined;
	for (let run = 0; run < spec.workRuns; run++) {
		const started = performance.now();
		result = work();
		workRunsMs.push(performance.now() - started);
	}
	const built = result as WorkResult;
	await sendAll(spec.baseUrl, spec.token, WARM_UP, 1);
	const sends: FloorSend[] = [];
	const levels = built.requests.length > 1 && spec.concurrency > 1 ? [1, spec.concurrency] : [1];
	for (const concurrency of levels) {
		await control(spec.baseUrl, 'reset');
		const started = performance.now();
		const answers = await sendAll(spec.baseUrl, spec.token, built.requests, concurrency);
		const ms = performance.now() - started;
		const summary = await control(spec.baseUrl, 'summary');
		const notOk = countNotOk(answers.map((answer) => answer.status));
		sends.push({ concurrency, ms, peakInFlight: summary?.requests.peakInFlight ?? 0, peakOpenConnections: summary?.requests.peakOpenConnections ?? 0, sandboxBusyMs: summary?.requests.busyMs ?? 0, notOk });
	}
	let n8nHelper: FloorResult['n8nHelper'];
	const httpRequest = spec.n8nHome ? loadN8nHttpRequest(spec.n8nHome) : undefined;
	if (httpRequest) {
		await sendThroughN8n(httpRequest, spec.baseUrl, spec.token, WARM_UP);
		await control(spec.baseUrl, 'reset');
		const started = performance.now();
		const statuses = await sendThroughN8n(httpRequest, spec.baseUrl, spec.token, built.requests);
		n8nHelper = { ms: performance.now() - started, notOk: countNotOk(statuses) };
	}
	await control(spec.baseUrl, 'reset');
	const workMs = Math.min(...workRunsMs);
	return {
		workMs,
		workRunsMs,
		requests: built.requests.length,
		identical: built.identical,
		detail: built.detail,
		fileBytes: built.fileBytes,
		sends,
		floorMs: workMs + Math.min(...sends.map((send) => send.ms)),
		n8nHelper,
	};
}

if (require.main === module) {
	const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as FloorSpec;
	measureFloor(spec).then(
		(result) => process.stdout.write(`${JSON.stringify(result)}\n`),
		(error: unknown) => {
			console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
			process.exitCode = 1;
		},
	);
}
