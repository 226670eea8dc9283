/** The benchmark's report: issue 13's ratios and verdicts from the runs' numbers, and the spread over runs. */
import { caseMetrics, SPEED_TARGETS } from '../../scripts/bench/caseMetrics';
import type { FloorResult } from '../../scripts/bench/floor';
import { executionsLine, printReport, type ExecutionsStats, type SideResult } from '../../scripts/bench/report';
import type { Side } from '../../scripts/bench/workflows';

const floor = (workMs: number, sendMs: number): FloorResult => ({ workMs, workRunsMs: [workMs], requests: 1, identical: true, detail: 'the same JSON body', sends: [{ concurrency: 1, ms: sendMs, peakInFlight: 1, peakOpenConnections: 1, sandboxBusyMs: 1, notOk: {} }], floorMs: workMs + sendMs });

function side(caseId: string, kind: Side, round: number, workMs: number, extra: Partial<SideResult> = {}): SideResult {
	return {
		caseId,
		caseTitle: `case ${caseId}`,
		side: kind,
		round,
		items: 1000,
		finished: true,
		timedOut: false,
		wallMs: workMs + 4000,
		executionMs: workMs + 300,
		workMs,
		sandboxBusyMs: 10,
		sandboxHandlingMs: 10,
		peakInFlight: 1,
		requests: { total: 1, byPathAndStatus: { 'POST /api/v1/segments 200': 1 }, faulted: 0 },
		n8nPeakMb: 500,
		runnerPeakMb: 150,
		correct: true,
		stateDetail: '1000 members',
		nodeMs: {},
		lastItems: [],
		minRequests: kind === 'fanpass' ? 1 : undefined,
		...extra,
	};
}

describe('case metrics', () => {
	it('node ÷ baseline and node ÷ floor per run, per item and per request', () => {
		const [m] = caseMetrics([side('1', 'fanpass', 1, 300, { floor: floor(40, 35) }), side('1', 'http-json', 1, 1000)]);
		expect(m.vsBaseline).toBeCloseTo(0.3);
		expect(m.vsFloor).toBeCloseTo(4);
		expect(m.perItemMs).toBeCloseTo(0.3);
		expect(m.perRequestMs).toBe(300);
	});

	it('a baseline that failed gives no ratio; transient memory is compared with the file', () => {
		const [m] = caseMetrics([side('2', 'fanpass', 1, 2000, { transientMb: 30, fileBytes: 10 * 1024 * 1024 }), side('2', 'http-csv', 1, 3000, { finished: false })]);
		expect(m.vsBaseline).toBeUndefined();
		expect(m.transientVsFile).toBeCloseTo(3);
		expect(SPEED_TARGETS.find((t) => t.caseId === '2')?.value(m)).toBeCloseTo(3);
	});
});

/** What printReport logs, line by line, for each test of the describe block that calls it. */
function capturedLog(): string[] {
	const lines: string[] = [];
	beforeEach(() => {
		lines.length = 0;
		jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
	});
	afterEach(() => jest.restoreAllMocks());
	return lines;
}

describe('printReport', () => {
	const lines = capturedLog();

	it('three runs: medians with min-max, verdicts by the median with the count of runs that met it', () => {
		const results = [
			side('1', 'fanpass', 1, 250, { floor: floor(30, 40) }),
			side('1', 'http-json', 1, 1000),
			side('1', 'fanpass', 2, 350, { floor: floor(30, 50) }),
			side('1', 'http-json', 2, 1000),
			side('1', 'fanpass', 3, 290, { floor: floor(30, 45) }),
			side('1', 'http-json', 3, 1000),
		];
		expect(printReport(results, { mode: 'full', totalMs: 1, n8nVersion: '2.40.7', repeat: 3 })).toBe(true);
		const text = lines.join('\n');
		expect(text).toContain('| 1 | node ÷ baseline ≤ ×0.30 | ×0.29 (0.25-0.35) | **met** (2 of 3 runs) |');
		expect(text).toMatch(/\| 1 \| node ÷ floor ≤ ×4 \| ×3\.87 \(3\.57-4\.38\) \| \*\*met\*\* \(2 of 3 runs\) \|/);
		expect(text).toContain('| 1. case 1 | FanPass node | ok | 1 | 4.29 s (4.25-4.35) |');
	});

	it('a run with the wrong state fails the exit code; a slow node only fails its verdict', () => {
		const slow = [side('3', 'fanpass', 1, 900), side('3', 'http-grouped', 1, 1000)];
		expect(printReport(slow, { mode: 'quick', totalMs: 1, n8nVersion: '2.40.7' })).toBe(true);
		expect(lines.join('\n')).toContain('| 3 | node ÷ baseline ≤ ×0.5 | ×0.90 | not met |');
		const wrong = [side('3', 'fanpass', 1, 100, { correct: false, stateDetail: '2 users missing' }), side('3', 'http-grouped', 1, 1000)];
		expect(printReport(wrong, { mode: 'quick', totalMs: 1, n8nVersion: '2.40.7' })).toBe(false);
		expect(lines.join('\n')).toContain('NOT MET: case 3: FanPass node ends with a correct state (2 users missing)');
	});
});

describe('case 8: executions at once', () => {
	const lines = capturedLog();

	const executions = (mode: ExecutionsStats['mode'], perProcess: Record<string, number>): ExecutionsStats => ({
		mode,
		asked: 20,
		answers: { '200': 20 },
		statuses: { success: 20 },
		perProcess,
		workerConcurrency: mode === 'queue' ? [10, 10] : undefined,
		durationsMs: [1000, 2000, 3000],
		memory: mode === 'queue' ? { main: { totalMb: 700, n8nMb: 600, runnerMb: 150 }, worker1: { totalMb: 650, n8nMb: 650, runnerMb: 0 } } : { main: { totalMb: 900, n8nMb: 750, runnerMb: 150 } },
		startupMs: mode === 'queue' ? 30_000 : 8000,
	});
	const run = (kind: Side, wallMs: number, stats: ExecutionsStats, extra: Partial<SideResult> = {}) =>
		side('8', kind, 1, 5000, { wallMs, items: 10_000, requests: { total: 10_000, byPathAndStatus: { 'POST /api/v1/update_user 200': 10_000 }, faulted: 0 }, executions: stats, ...extra });

	it('a table of its own: executions per process, wall against regular mode; both sides decide the exit code', () => {
		const results = [run('fanpass-queue', 6000, executions('queue', { worker1: 11, worker2: 9 })), run('fanpass-regular', 12_000, executions('regular', { main: 20 }))];
		expect(printReport(results, { mode: 'full', totalMs: 1, n8nVersion: '2.40.7' })).toBe(true);
		const text = lines.join('\n');
		expect(text).toContain('| 8 | FanPass node, queue mode (main + 2 workers) | 20 / 20 | 10,000 | 6.00 s | 2.00 s / 3.00 s | 5.00 s | worker1 11, worker2 9 (concurrency 10 + 10) | 1 | main 700, worker1 650 MB | 30.0 s | yes | ×0.50 |');
		expect(text).toContain('| 8 | FanPass node, regular mode (one main) | 20 / 20 | 10,000 | 12.0 s | 2.00 s / 3.00 s | 5.00 s | main 20 | 1 | main 900 MB | 8.00 s | yes |  |');
		expect(text).toContain('MET: case 8: FanPass node ends with a correct state');
		expect(executionsLine(results[0].executions as ExecutionsStats)).toBe('queue mode: 20/20 executions success (answers 20× 200), ran on worker1 11, worker2 9; each 2.00 s median, 3.00 s max; stack started in 30.0 s');
	});

	it('a wrong state in either mode fails the exit code; a failed side gives no ratio', () => {
		const results = [run('fanpass-queue', 6000, executions('queue', { worker1: 20 })), run('fanpass-regular', 12_000, executions('regular', { main: 20 }), { finished: false, correct: false, stateDetail: '500 users missing' })];
		expect(printReport(results, { mode: 'quick', totalMs: 1, n8nVersion: '1.123.81' })).toBe(false);
		const text = lines.join('\n');
		expect(text).toContain('NOT MET: case 8: FanPass node ends with a correct state');
		expect(text).toMatch(/\| worker1 20 \(concurrency 10 \+ 10\) \| 1 \| main 700, worker1 650 MB \| 30\.0 s \| yes \| – \|/);
	});
});
