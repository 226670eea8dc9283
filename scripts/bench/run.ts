/**
 * `npm run bench`: the FanPass node against what a user builds without it (n8n's HTTP Request node plus a
 * Code node), side by side in a real n8n (the latest in n8n-runtime/n8n-versions.json) against the sandbox (issue 5, "Benchmark").
 *
 *   npm run bench                    full size (about 12 minutes on 2 cores)
 *   npm run bench -- --quick         the same cases at 1/100 size (about 2 minutes)
 *   npm run bench -- --cases=1,3,5a  only these cases
 *
 * Options: --quick, --cases=<ids>, --timeout=<seconds per run> (default 600, quick 120), --skip-build (use
 * dist/ as it is), --keep (keep the scratch N8N_USER_FOLDER and the runs' stdout), --report=<results.json>
 * (print an earlier run's table again, without running anything).
 *
 * Every run is one fresh `n8n execute --id --rawOutput` process on the same user folder, after a sandbox
 * reset; cases and sides run one after the other. Results: a table on stdout and .cache/bench/results.json.
 * Exit code 0 when the FanPass node met every target (the fewest requests in cases 1-3, a correct final
 * state in every case), 1 otherwise. Not part of `npm test` or CI: it takes minutes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { N8nCli, type WorkflowJson } from '../n8n-runtime/n8nCli';
import { ensureN8n } from '../n8n-runtime/n8nInstall';
import { N8N_LATEST } from '../n8n-runtime/n8nVersions';
import { buildAndPack, installTarball, scratchUserFolder } from '../n8n-runtime/packageTarball';
import { installExitHandlers, ROOT, secs, stopAll } from '../n8n-runtime/processes';
import { SANDBOX_TOKEN, startSandboxProcess } from '../n8n-runtime/sandboxProcess';
import { benchCases, FULL_FILE_MODE_THRESHOLD, judgeState, type BenchCase, type SandboxSummary } from './cases';
import { measuredExecute, readRunData } from './measure';
import { printReport, type SideResult } from './report';
import { buildWorkflow, CREDENTIALS, isFanPass, SIDE_ENV, type BenchWorkflow } from './workflows';

const N8N_VERSION = N8N_LATEST;
const QUICK_SCALE = 0.01;
const IMPORT_DURATION_MS = 2000;

interface Args {
	quick: boolean;
	cases?: string[];
	timeoutMs: number;
	skipBuild: boolean;
	keep: boolean;
}

function parseArgs(argv: string[]): Args {
	const value = (name: string) => argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
	const quick = argv.includes('--quick');
	const known = /^--(quick|skip-build|keep|cases=.+|timeout=\d+)$/;
	const unknown = argv.filter((arg) => !known.test(arg));
	if (unknown.length) throw new Error(`unknown argument(s): ${unknown.join(' ')} (see scripts/bench/run.ts)`);
	return {
		quick,
		cases: value('cases')?.split(',').filter(Boolean),
		timeoutMs: Number(value('timeout') ?? (quick ? 120 : 600)) * 1000,
		skipBuild: argv.includes('--skip-build'),
		keep: argv.includes('--keep'),
	};
}

/** --report=<results.json>: prints the table of an earlier run again. */
function reprint(file: string): void {
	const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { mode: string; n8nVersion: string; totalMs: number; results: SideResult[] };
	process.exitCode = printReport(saved.results, saved) ? 0 : 1;
}

async function main(): Promise<void> {
	const reportFile = process.argv.find((arg) => arg.startsWith('--report='))?.slice('--report='.length);
	if (reportFile) return reprint(reportFile);
	installExitHandlers();
	const args = parseArgs(process.argv.slice(2));
	const started = Date.now();
	const scale = args.quick ? QUICK_SCALE : 1;
	const fileModeThreshold = Math.round(FULL_FILE_MODE_THRESHOLD * scale);
	const cases = benchCases(scale).filter((c) => !args.cases || args.cases.includes(c.id));
	if (cases.length === 0) throw new Error(`no case matches --cases=${args.cases?.join(',')}`);
	console.log(`FanPass benchmark (${args.quick ? 'quick: 1/100 size' : 'full size'}) in n8n ${N8N_VERSION}; cases ${cases.map((c) => c.id).join(', ')}`);

	const tarball = buildAndPack({ skipBuild: args.skipBuild });
	const install = ensureN8n(N8N_VERSION);
	const userFolder = scratchUserFolder('bench');
	installTarball(tarball.file, userFolder, install.node24BinDir);
	const sandbox = await startSandboxProcess({ importDurationMs: IMPORT_DURATION_MS });
	console.log(`  package installed in ${userFolder}; sandbox on ${sandbox.url}`);

	const cli = new N8nCli(install, userFolder, { secrets: [SANDBOX_TOKEN] });
	const credentials = await cli.importCredentials([
		{ ...CREDENTIALS.fanPass, type: 'fanPassApi', data: { apiToken: SANDBOX_TOKEN, baseUrl: sandbox.url } },
		{ ...CREDENTIALS.headerAuth, type: 'httpHeaderAuth', data: { name: 'Authorization', value: `Bearer ${SANDBOX_TOKEN}` } },
	]);
	if (credentials.code !== 0) throw new Error(`n8n import:credentials failed: ${cli.redact(credentials.stderr || credentials.stdout).slice(-2000)}`);
	const workflows = new Map<string, BenchWorkflow>();
	for (const c of cases) for (const side of c.sides) workflows.set(`${c.id}/${side}`, buildWorkflow(c.id, side, c.input, sandbox.url, fileModeThreshold));
	const imported = await cli.importWorkflows([...workflows.values()].map((w): WorkflowJson => w.workflow));
	if (imported.code !== 0) throw new Error(`n8n import:workflow failed: ${imported.stderr || imported.stdout}`);

	const outDir = path.join(ROOT, '.cache', 'bench');
	fs.mkdirSync(outDir, { recursive: true });
	// the executions are not stored: n8n's database would otherwise hold every item of every run
	const env = { EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none', EXECUTIONS_DATA_SAVE_ON_ERROR: 'none', EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'false' };
	const results: SideResult[] = [];
	for (const benchCase of cases) {
		console.log(`\n▶ case ${benchCase.id}: ${benchCase.title}`);
		for (const side of benchCase.sides) {
			const result = await runSide(benchCase, side, workflows.get(`${benchCase.id}/${side}`) as BenchWorkflow);
			results.push(result);
			console.log(
				`  ${side.padEnd(13)} ${result.finished ? 'finished' : result.timedOut ? 'DID NOT FINISH' : 'FAILED'} in ${secs(result.wallMs)}; ${result.requests.total} requests; state ${result.correct ? 'correct' : 'WRONG'} (${result.stateDetail})${result.error ? `; error: ${result.error}` : ''}`,
			);
		}
	}

	async function runSide(benchCase: BenchCase, side: BenchCase['sides'][number], bench: BenchWorkflow): Promise<SideResult> {
		await sandbox.reset();
		if (benchCase.faults.length) await sandbox.addFaults(benchCase.faults);
		const stdoutFile = path.join(outDir, `run-${benchCase.id}-${side}.out`);
		const run = await measuredExecute(install, userFolder, bench.workflow.id, stdoutFile, args.timeoutMs, { ...env, ...SIDE_ENV[side] });
		const data = run.timedOut ? undefined : readRunData(stdoutFile, bench.lastNode);
		if (!args.keep) fs.rmSync(stdoutFile, { force: true });
		const summary = await sandbox.summary<SandboxSummary>({ users: benchCase.input.kind === 'users' });
		const verdict = judgeState(benchCase.input, summary);
		const workMs = bench.workNodes.reduce((sum, name) => sum + (data?.nodeMs[name] ?? 0), 0);
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
			finished: !run.timedOut && run.code === 0 && !!data?.ok,
			timedOut: run.timedOut,
			error,
			wallMs: run.wallMs,
			executionMs: data?.executionMs,
			workMs: data ? workMs : undefined,
			sandboxBusyMs: summary.requests.busyMs,
			sandboxHandlingMs: summary.requests.handlingMs,
			requests: { total: summary.requests.total, byPathAndStatus: summary.requests.byPathAndStatus, faulted: summary.requests.faulted },
			n8nPeakMb: Math.round(run.n8nPeakKb / 1024),
			runnerPeakMb: Math.round(run.runnerPeakKb / 1024),
			correct: verdict.correct,
			stateDetail: verdict.detail,
			nodeMs: data?.nodeMs ?? {},
			lastItems: isFanPass(side) ? (data?.lastItems ?? []).slice(0, 2) : [],
			minRequests: side === 'fanpass' ? benchCase.minRequests : undefined,
		};
	}

	const totalMs = Date.now() - started;
	const ok = printReport(results, { mode: args.quick ? 'quick' : 'full', totalMs, n8nVersion: N8N_VERSION });
	const json = { mode: args.quick ? 'quick' : 'full', n8nVersion: N8N_VERSION, date: new Date().toISOString(), totalMs, fileModeThreshold, results };
	fs.writeFileSync(path.join(outDir, 'results.json'), `${JSON.stringify(json, null, 2)}\n`);
	// a run of every case is also kept under its mode's name, so that a later partial run does not replace it
	if (!args.cases) fs.writeFileSync(path.join(outDir, `results-${args.quick ? 'quick' : 'full'}.json`), `${JSON.stringify(json, null, 2)}\n`);
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
