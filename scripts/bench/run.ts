/**
 * `npm run bench`: the FanPass node against what a user builds without it (n8n's HTTP Request node plus a
 * Code node), side by side in a real n8n (default: the latest in scripts/n8n-runtime/n8n-versions.json)
 * against the sandbox (issue 5), and against the floor: the same requests from a minimal client plus the
 * per-item work outside n8n (issue 13).
 *
 *   npm run bench                          full size (about 15 minutes on 2 cores)
 *   npm run bench -- --quick               the same cases at 1/100 size (about 3 minutes)
 *   npm run bench -- --cases=1,3,5a        only these cases (6: nightly sync with Skip Unchanged Users;
 *                                          8: queue mode, executions across main + 2 workers)
 *   npm run bench -- --repeat=3            every case 3 times: median and min-max per metric
 *   npm run bench -- --cases=1 --sides=fanpass --cpu-prof
 *                                          profile the FanPass node: top self-time functions, ours vs n8n's
 *   npm run bench -- --n8n=1.123.81        in another installed n8n (.cache/n8n/<version>)
 *
 * Options: --quick, --cases=<ids>, --sides=<sides> (fanpass, fanpass-skip, fanpass-legacy-expr, fanpass-c1,
 * fanpass-c8, fanpass-queue, fanpass-regular, http-json, http-csv, http-grouped), --repeat=<N>, --cpu-prof (NODE_OPTIONS=--cpu-prof for the FanPass sides' n8n, not case 8's; the
 * .cpuprofile files stay in .cache/bench/profiles/ for Chrome DevTools; times under a profiler are not
 * comparable), --no-floor, --n8n=<version>, --timeout=<seconds per run> (default 600, quick 120),
 * --skip-build (use dist/ as it is), --keep (keep the scratch N8N_USER_FOLDER and the runs' stdout),
 * --out=<file> (write the results there too), --report=<results.json>[,<more.json>] (print earlier runs'
 * tables again without running anything; several files are printed as one run, e.g. a --repeat=2 run of
 * the quick cases and one run of the slow case 5b).
 *
 * Every run is one fresh `n8n execute --id --rawOutput` process on the same user folder, after a sandbox
 * reset; cases and sides run one after the other, and with --repeat the whole list runs N times. Case 8 is
 * production executions instead (queueCase.ts): N webhook calls at once to a queue-mode stack started for
 * the run (Redis, PostgreSQL, main + 2 workers), and the same calls to one `n8n start` in regular mode. The floor
 * of a case runs right after its FanPass side, in a separate process on n8n's Node.js (floor.ts).
 * Results: tables on stdout and .cache/bench/results.json. Exit code 0 when the FanPass node met the
 * correctness targets in every run (the fewest requests in cases 1-3, a correct final state in every
 * case), 1 otherwise; issue 13's speed targets are printed as verdicts, not part of the exit code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { N8nCli, type CredentialImport, type WorkflowJson } from '../n8n-runtime/n8nCli';
import { ensureN8n, n8nPaths, type N8nInstall } from '../n8n-runtime/n8nInstall';
import { buildAndPack, installTarball, scratchUserFolder } from '../n8n-runtime/packageTarball';
import { installExitHandlers, ROOT, run as runCommand, secs, stopAll } from '../n8n-runtime/processes';
import { SANDBOX_TOKEN, startSandboxProcess, type SandboxProcess } from '../n8n-runtime/sandboxProcess';
import { parseArgs, type BenchArgs } from './args';
import { benchCases, FULL_FILE_MODE_THRESHOLD, itemCount, judgeState, type BenchCase, type CaseRun, type SandboxSummary } from './cases';
import type { FloorResult, FloorSpec } from './floor';
import type { RecordedRequest } from './floorWork';
import { measuredExecute, readRunData, transientRssKb } from './measure';
import { formatProfileSummary, summariseProfile, type CpuProfile } from './profile';
import { executionsLine, printReport, type SideResult } from './report';
import { buildWorkflow, CREDENTIALS, isFanPass, SIDE_ENV, type BenchWorkflow, type Side } from './workflows';

const QUICK_SCALE = 0.01;
const IMPORT_DURATION_MS = 2000;
/** Update User's defaults, which the floor's requests mirror */
const UPDATE_BATCH_SIZE = 1000;
const UPDATE_CONCURRENCY = 4;
const FLOOR_WORK_RUNS = 3;
const OUT_DIR = path.join(ROOT, '.cache', 'bench');

interface SavedRun {
	mode: string;
	n8nVersion: string;
	totalMs: number;
	repeat?: number;
	date?: string;
	results: SideResult[];
}

/** --report=<results.json>[,...]: prints the tables of earlier runs again, as one. */
function reprint(files: string[]): void {
	const saved = files.map((file) => JSON.parse(fs.readFileSync(file, 'utf8')) as SavedRun);
	const results = saved.flatMap((run) => run.results.map((r) => ({ ...r, round: r.round ?? 1 })));
	const meta = {
		mode: [...new Set(saved.map((run) => run.mode))].join('+'),
		n8nVersion: [...new Set(saved.map((run) => run.n8nVersion))].join('+'),
		totalMs: saved.reduce((sum, run) => sum + run.totalMs, 0),
		repeat: Math.max(...saved.map((run) => run.repeat ?? 1)),
	};
	console.log(`results of ${saved.map((run, i) => `${files[i]} (${run.date ?? 'undated'})`).join(', ')}`);
	process.exitCode = printReport(results, meta) ? 0 : 1;
}

/** An installed n8n; installs it only when nothing is there yet (an install under way is not disturbed). */
function n8nInstall(version: string): N8nInstall {
	const paths = n8nPaths(version);
	if (fs.existsSync(paths.n8nBin)) return { ...paths, ms: 0 };
	if (fs.existsSync(paths.home)) throw new Error(`${paths.home} exists without bin/n8n: an install of n8n ${version} is under way (or failed); wait for it, or run scripts/n8n/install.sh ${version}`);
	return ensureN8n(version);
}

/** What the sandbox recorded of the requests just sent (bodies included; file bytes are not). */
async function recordedRequests(sandbox: SandboxProcess): Promise<Array<RecordedRequest & { status: number }>> {
	return (await sandbox.state()).requests as unknown as Array<RecordedRequest & { status: number }>;
}

async function measureFloor(install: N8nInstall, spec: FloorSpec, timeoutMs: number): Promise<FloorResult> {
	const specFile = path.join(OUT_DIR, `floor-spec-${process.pid}.json`);
	fs.writeFileSync(specFile, JSON.stringify(spec));
	try {
		const node = path.join(install.node24BinDir, 'node');
		const result = await runCommand(node, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(__dirname, 'floor.ts'), specFile], { cwd: ROOT, timeoutMs });
		if (result.code !== 0 || result.timedOut) throw new Error(`floor ${result.timedOut ? 'timed out' : `exited ${result.code}`}: ${result.stderr.slice(-600)}`);
		return JSON.parse(result.stdout.trim().split('\n').pop() as string) as FloorResult;
	} finally {
		fs.rmSync(specFile, { force: true });
	}
}

/** The n8n process's profile (the task runner writes its own), summarised. */
function summariseProfiles(dir: string, n8nPid: number | undefined, label: string): string | undefined {
	const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith('.cpuprofile')) : [];
	const mine = files.find((name) => n8nPid !== undefined && name.split('.').includes(String(n8nPid))) ?? files[0];
	if (!mine) return `CPU profile ${label}: no .cpuprofile written in ${path.relative(ROOT, dir)}`;
	const profile = JSON.parse(fs.readFileSync(path.join(dir, mine), 'utf8')) as CpuProfile;
	return formatProfileSummary(summariseProfile(profile, { top: 25 }), `${label} (${path.relative(ROOT, path.join(dir, mine))})`);
}

async function main(): Promise<void> {
	const args: BenchArgs = parseArgs(process.argv.slice(2));
	if (args.report) return reprint(args.report);
	installExitHandlers();
	const started = Date.now();
	const scale = args.quick ? QUICK_SCALE : 1;
	const fileModeThreshold = Math.round(FULL_FILE_MODE_THRESHOLD * scale);
	const cases = benchCases(scale, args.n8nVersion)
		.filter((c) => !args.cases || args.cases.includes(c.id))
		.map((c) => ({ ...c, sides: c.sides.filter((side) => !args.sides || args.sides.includes(side)) }))
		.filter((c) => c.sides.length > 0);
	if (cases.length === 0) throw new Error(`no case matches --cases=${args.cases?.join(',') ?? ''} --sides=${args.sides?.join(',') ?? ''}`);
	const N8N_VERSION = args.n8nVersion;
	console.log(
		`FanPass benchmark (${args.quick ? 'quick: 1/100 size' : 'full size'}) in n8n ${N8N_VERSION}; cases ${cases.map((c) => c.id).join(', ')}${args.repeat > 1 ? `; ${args.repeat} runs` : ''}${args.cpuProf ? '; CPU profiles of the FanPass sides (times not comparable)' : ''}`,
	);

	const install = n8nInstall(N8N_VERSION);
	const tarball = buildAndPack({ skipBuild: args.skipBuild });
	const userFolder = scratchUserFolder('bench');
	installTarball(tarball.file, userFolder, install.node24BinDir);
	const sandbox = await startSandboxProcess({ importDurationMs: IMPORT_DURATION_MS });
	console.log(`  package installed in ${userFolder}; sandbox on ${sandbox.url}`);

	const cli = new N8nCli(install, userFolder, { secrets: [SANDBOX_TOKEN] });
	const benchCredentials: CredentialImport[] = [
		{ ...CREDENTIALS.fanPass, type: 'fanPassApi', data: { apiToken: SANDBOX_TOKEN, baseUrl: sandbox.url } },
		{ ...CREDENTIALS.headerAuth, type: 'httpHeaderAuth', data: { name: 'Authorization', value: `Bearer ${SANDBOX_TOKEN}` } },
	];
	const credentials = await cli.importCredentials(benchCredentials);
	if (credentials.code !== 0) throw new Error(`n8n import:credentials failed: ${cli.redact(credentials.stderr || credentials.stdout).slice(-2000)}`);
	const workflows = new Map<string, BenchWorkflow>();
	for (const c of cases) for (const side of c.sides) workflows.set(`${c.id}/${side}`, buildWorkflow(c.id, side, c.input, sandbox.url, fileModeThreshold, { webhook: c.executions !== undefined }));
	const imported = await cli.importWorkflows([...workflows.values()].map((w): WorkflowJson => w.workflow));
	if (imported.code !== 0) throw new Error(`n8n import:workflow failed: ${imported.stderr || imported.stdout}`);

	const outDir = OUT_DIR;
	fs.mkdirSync(outDir, { recursive: true });
	// the executions are not stored: n8n's database would otherwise hold every item of every run
	const env = { EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none', EXECUTIONS_DATA_SAVE_ON_ERROR: 'none', EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'false' };
	const results: SideResult[] = [];
	for (let round = 1; round <= args.repeat; round++) {
		for (const benchCase of cases) {
			console.log(`\n▶ case ${benchCase.id}: ${benchCase.title}${args.repeat > 1 ? ` (run ${round} of ${args.repeat})` : ''}`);
			for (const side of benchCase.sides) {
				const result = await runSide(benchCase, side, workflows.get(`${benchCase.id}/${side}`) as BenchWorkflow, round);
				results.push(result);
				console.log(
					`  ${side.padEnd(13)} ${result.finished ? 'finished' : result.timedOut ? 'DID NOT FINISH' : 'FAILED'} in ${secs(result.wallMs)}; nodes ${secs(result.workMs ?? 0)}; ${result.requests.total} requests (peak in flight ${result.peakInFlight} requests, ${result.peakOpenConnections ?? '?'} connections); state ${result.correct ? 'correct' : 'WRONG'} (${result.stateDetail})${result.error ? `; error: ${result.error}` : ''}`,
				);
				if (result.executions) console.log(`  ${''.padEnd(13)} ${executionsLine(result.executions)}`);
				if (result.floor) {
					const f = result.floor;
					console.log(`  ${'floor'.padEnd(13)} work ${f.workMs.toFixed(1)} ms + requests ${f.sends.map((send) => `${send.ms.toFixed(1)} ms at ${send.concurrency} (sandbox busy ${send.sandboxBusyMs} ms, peak ${send.peakInFlight} / ${send.peakOpenConnections})`).join(', ')}; bodies ${f.identical ? 'identical' : `DIFFER: ${f.detail}`}${f.n8nHelper ? `; through n8n's request function ${f.n8nHelper.ms.toFixed(1)} ms at 1${Object.keys(f.n8nHelper.notOk).length ? ` (not 200: ${JSON.stringify(f.n8nHelper.notOk)})` : ''}` : ''}`);
				}
				if (result.floorError) console.log(`  ${'floor'.padEnd(13)} FAILED: ${result.floorError}`);
				if (result.profile) console.log(result.profile.split('\n').slice(0, 12).map((line) => `  ${line}`).join('\n'));
			}
		}
	}

	async function runSide(benchCase: BenchCase, side: Side, bench: BenchWorkflow, round: number): Promise<SideResult> {
		await sandbox.reset();
		if (benchCase.faults.length) await sandbox.addFaults(benchCase.faults);
		await benchCase.prepare?.(sandbox, side);
		const stdoutFile = path.join(outDir, `run-${benchCase.id}-${side}.out`);
		const profileDir = path.join(outDir, 'profiles', `${benchCase.id}-${side}-${args.quick ? 'quick' : 'full'}-run${round}`);
		// not case 8: its n8n processes are a main and workers, started by the case itself
		const profiling = args.cpuProf && isFanPass(side) && benchCase.executions === undefined;
		if (profiling) fs.rmSync(profileDir, { recursive: true, force: true });
		const sideEnv = { ...env, ...SIDE_ENV[side], ...(profiling ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --cpu-prof --cpu-prof-dir=${profileDir}`.trim() } : {}) };
		const defaultRun = () => measuredExecute(install, userFolder, bench.workflow.id, stdoutFile, args.timeoutMs, sideEnv);
		const run: CaseRun = benchCase.run
			? await benchCase.run({ side, workflowId: bench.workflow.id, workflow: bench.workflow, stdoutFile, timeoutMs: args.timeoutMs, env: sideEnv, sandbox, install, tarball: tarball.file, userFolder, credentials: benchCredentials, defaultRun })
			: await defaultRun();
		const data = run.timedOut ? undefined : (run.data ?? readRunData(stdoutFile, bench.lastNode));
		if (!args.keep) fs.rmSync(stdoutFile, { force: true });
		const summary = await sandbox.summary<SandboxSummary>({ users: benchCase.input.kind === 'users' });
		const verdict = judgeState(benchCase.input, summary);
		const workMs = bench.workNodes.reduce((sum, name) => sum + (data?.nodeMs[name] ?? 0), 0);
		const windows = bench.workNodes.map((name) => data?.nodeWindow[name]).filter((w): w is { start: number; end: number } => !!w);
		const transientKb = windows.length ? transientRssKb(run.rssTimeline, { start: Math.min(...windows.map((w) => w.start)), end: Math.max(...windows.map((w) => w.end)) }) : undefined;
		let fileBytes: number | undefined;
		let floor: FloorResult | undefined;
		let floorError: string | undefined;
		if (side === 'fanpass') {
			const recorded = await recordedRequests(sandbox);
			fileBytes = recorded.find((r) => r.multipart?.file)?.multipart?.file?.size;
			const wanted = args.floor && (benchCase.floor ?? benchCase.faults.length === 0);
			if (wanted && !run.timedOut && recorded.length > 0 && recorded.every((r) => r.status === 200)) {
				try {
					floor = await measureFloor(install, { input: benchCase.input, baseUrl: sandbox.url, token: SANDBOX_TOKEN, recorded, batchSize: UPDATE_BATCH_SIZE, concurrency: UPDATE_CONCURRENCY, workRuns: FLOOR_WORK_RUNS, n8nHome: install.home }, args.timeoutMs);
				} catch (error) {
					floorError = (error as Error).message;
				}
			} else if (wanted) floorError = 'not measured: the node\'s run did not end with every request answered 200';
		}
		const error = run.timedOut
			? `did not finish within ${secs(args.timeoutMs)} (killed)`
			: data?.error
				? cli.redact(`${data.error.message ?? ''}${data.error.description ? ` (${data.error.description})` : ''}`).slice(0, 300)
				: data
					? undefined
					: `exit ${run.code}, no run data printed: ${cli.redact(run.stderrTail).slice(-300)}`;
		return {
			caseId: benchCase.id,
			caseTitle: benchCase.title,
			side,
			round,
			items: itemCount(benchCase.input),
			finished: !run.timedOut && run.code === 0 && !!data?.ok,
			timedOut: run.timedOut,
			error,
			wallMs: run.wallMs,
			executionMs: data?.executionMs,
			workMs: data ? workMs : undefined,
			sandboxBusyMs: summary.requests.busyMs,
			sandboxHandlingMs: summary.requests.handlingMs,
			peakInFlight: summary.requests.peakInFlight ?? 0,
			peakOpenConnections: summary.requests.peakOpenConnections,
			requests: { total: summary.requests.total, byPathAndStatus: summary.requests.byPathAndStatus, faulted: summary.requests.faulted },
			n8nPeakMb: Math.round(run.n8nPeakKb / 1024),
			runnerPeakMb: Math.round(run.runnerPeakKb / 1024),
			transientMb: transientKb === undefined ? undefined : transientKb / 1024,
			fileBytes,
			correct: verdict.correct,
			stateDetail: verdict.detail,
			nodeMs: data?.nodeMs ?? {},
			lastItems: isFanPass(side) ? (data?.lastItems ?? []).slice(0, 2) : [],
			minRequests: side === 'fanpass' ? benchCase.minRequests : undefined,
			floor,
			floorError,
			executions: run.executions,
			profile: profiling ? summariseProfiles(profileDir, run.pid, `case ${benchCase.id} ${side}${args.repeat > 1 ? ` run ${round}` : ''}`) : undefined,
		};
	}

	const totalMs = Date.now() - started;
	const ok = printReport(results, { mode: args.quick ? 'quick' : 'full', totalMs, n8nVersion: N8N_VERSION, repeat: args.repeat });
	const json = { mode: args.quick ? 'quick' : 'full', n8nVersion: N8N_VERSION, date: new Date().toISOString(), totalMs, repeat: args.repeat, fileModeThreshold, results };
	fs.writeFileSync(path.join(outDir, 'results.json'), `${JSON.stringify(json, null, 2)}\n`);
	if (args.out) fs.writeFileSync(path.resolve(args.out), `${JSON.stringify(json, null, 2)}\n`);
	// a run of every case is also kept under its mode's name, so that a later partial run does not replace it
	if (!args.cases && !args.sides && !args.cpuProf) fs.writeFileSync(path.join(outDir, `results-${args.quick ? 'quick' : 'full'}-${N8N_VERSION}.json`), `${JSON.stringify(json, null, 2)}\n`);
	console.log(`\nresults: ${path.relative(ROOT, path.join(outDir, 'results.json'))}; total ${secs(totalMs)}`);
	await sandbox.stop();
	if (args.keep) console.log(`scratch N8N_USER_FOLDER kept: ${userFolder}`);
	else fs.rmSync(userFolder, { recursive: true, force: true });
	process.exitCode = ok ? 0 : 1;
}

main().catch(async (error: unknown) => {
	console.error(`\nBENCH ABORTED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
	process.exitCode = 1;
	await stopAll();
});
