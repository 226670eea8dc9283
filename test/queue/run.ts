/**
 * n8n in queue mode, for real: Redis and PostgreSQL (scripts/services), one main and two workers
 * (scripts/n8n-runtime/queueStack.ts), the package installed on each from the packed tarball.
 *
 *   npm run test:queue          (= tsx test/queue/run.ts)
 *
 * Suites (./suites): every example on a worker (manual runs offloaded, production runs by Webhook and
 * Schedule), binary data from main to a worker, load (40 executions at once over both workers), two
 * executions replacing the same tag, rate limits across executions, the AI Agent example (stub model), stopping an execution waiting for an
 * import, a worker SIGKILLed mid-run, a worker without the package. Each run is checked on the sandbox's
 * state and on the execution as n8n recorded it (status, mode, and the worker that logged it).
 *
 * Environment (all optional): N8N_QUEUE_VERSION (default: the latest in scripts/n8n-runtime/n8n-versions.json),
 * N8N_QUEUE_BINARY_MODE (N8N_DEFAULT_BINARY_DATA_MODE, default database; n8n 1.x: default), N8N_E2E_SKIP_BUILD=1 (use the existing dist/), N8N_QUEUE_KEEP=1 (keep the user folders), N8N_E2E_VERBOSE=1,
 * N8N_QUEUE_ONLY=<part of a suite name> (run only those suites, e.g. binary).
 * Exit code 0 when every check passed, 1 otherwise.
 */
import { Checks } from '../../scripts/n8n-runtime/checks';
import { ensureN8n } from '../../scripts/n8n-runtime/n8nInstall';
import { versionFromEnv } from '../../scripts/n8n-runtime/n8nVersions';
import { buildAndPack } from '../../scripts/n8n-runtime/packageTarball';
import { installExitHandlers, secs, stopAll } from '../../scripts/n8n-runtime/processes';
import { startQueueStack } from '../../scripts/n8n-runtime/queueStack';
import { SANDBOX_TOKEN, startSandboxProcess } from '../../scripts/n8n-runtime/sandboxProcess';
import type { QueueContext } from './context';
import { aiAgentOnWorker } from './suites/aiAgent';
import { binaryAcrossProcesses } from './suites/binary';
import { manualRuns, productionRuns } from './suites/examples';
import { stopWhileWaitingForImport, workerKilledMidRun, workerWithoutPackage } from './suites/faults';
import { load, sameTagAtOnce } from './suites/load';
import { rateLimitsAcrossExecutions } from './suites/rateLimits';
import { queueWorkflows, RATE_CREDENTIALS } from './workflows';

const VERSION = versionFromEnv('N8N_QUEUE_VERSION');
const CONCURRENCY = 5;

const suites: Array<[string, (ctx: QueueContext) => Promise<void>]> = [
	['examples as manual runs, offloaded to the workers', manualRuns],
	['examples as production runs (Webhook, Schedule)', productionRuns],
	['binary data: webhook on main → Upload Segment File on a worker', binaryAcrossProcesses],
	['load: 40 executions at once', load],
	['two executions replacing the same tag at once', sameTagAtOnce],
	['rate limits across executions', rateLimitsAcrossExecutions],
	['the AI Agent example with FanPass tools on a worker', aiAgentOnWorker],
	['stop an execution waiting for an import', stopWhileWaitingForImport],
	['a worker SIGKILLed during a long Update User run', workerKilledMidRun],
	['a worker without the package', workerWithoutPackage],
];

async function main(): Promise<void> {
	installExitHandlers();
	const started = Date.now();
	const checks = new Checks();
	const timings: Record<string, number> = {};
	console.log(`FanPass in n8n ${VERSION} queue mode (main + 2 workers, Redis, PostgreSQL, binary data mode ${process.env.N8N_QUEUE_BINARY_MODE || 'database'})\n`);
	const install = ensureN8n(VERSION);
	let t0 = Date.now();
	const tarball = buildAndPack({ skipBuild: process.env.N8N_E2E_SKIP_BUILD === '1' });
	timings['build + pack'] = Date.now() - t0;
	const sandbox = await startSandboxProcess({ importDurationMs: 1500 });
	t0 = Date.now();
	const stack = await startQueueStack({
		install,
		tarball: tarball.file,
		sandboxUrl: sandbox.url,
		label: `queue-n8n-${VERSION}`,
		workers: [CONCURRENCY, CONCURRENCY],
		binaryDataMode: process.env.N8N_QUEUE_BINARY_MODE || 'database',
		extraWorkflows: queueWorkflows(),
		// a dead worker's job is noticed after seconds instead of n8n's default 30 s
		env: { QUEUE_WORKER_LOCK_DURATION: '5000', QUEUE_WORKER_LOCK_RENEW_TIME: '2000', QUEUE_WORKER_STALLED_INTERVAL: '5000' },
		verbose: process.env.N8N_E2E_VERBOSE === '1',
	});
	timings['stack start (Redis, PostgreSQL, imports, main, 2 workers)'] = Date.now() - t0;
	console.log(`  main ${stack.main.url}, ${stack.workers.map((w) => `${w.name} (concurrency ${w.concurrency}, ready after ${secs(w.startupMs)})`).join(', ')}`);
	const credentials = await stack.instance.cli.importCredentials(RATE_CREDENTIALS.map((id) => ({ id, name: id, type: 'fanPassApi', data: { apiToken: SANDBOX_TOKEN, baseUrl: sandbox.url } })));
	checks.check(`import ${RATE_CREDENTIALS.length} more credentials (same token and host, own ids)`, credentials.code === 0, credentials.stderr || credentials.stdout);
	const ctx: QueueContext = { version: VERSION, stack, sandbox, checks, measured: {}, observed: {} };
	try {
		const only = process.env.N8N_QUEUE_ONLY;
		for (const [name, suite] of suites.filter(([name]) => !only || name.includes(only))) {
			checks.section = name;
			console.log(`\n▶ ${name}`);
			t0 = Date.now();
			try {
				await suite(ctx);
			} catch (error) {
				checks.check(`${name} ran to the end`, false, error instanceof Error ? error.stack : String(error));
			}
			timings[name] = Date.now() - t0;
		}
	} finally {
		t0 = Date.now();
		await stack.stop();
		timings['stop (workers, main, Redis, PostgreSQL)'] = Date.now() - t0;
	}
	console.log('\n================ summary ================');
	console.log('measured:');
	for (const [name, value] of Object.entries(ctx.measured)) console.log(`  ${name}: ${value}`);
	console.log('observed:');
	for (const [name, value] of Object.entries(ctx.observed)) console.log(`  ${name}: ${value}`);
	console.log('timings:');
	for (const [name, ms] of Object.entries(timings)) console.log(`  ${name.padEnd(64)} ${secs(ms)}`);
	console.log(`  total: ${secs(Date.now() - started)}`);
	const failed = checks.failed;
	console.log(`\n${checks.all.length - failed.length}/${checks.all.length} checks passed`);
	for (const c of failed) console.log(`  FAIL [${c.section}] ${c.name}${c.detail ? `: ${c.detail}` : ''}`);
	await stopAll();
	process.exitCode = failed.length === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
	console.error(`\nQUEUE SUITE ABORTED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
	process.exitCode = 1;
	void stopAll();
});
