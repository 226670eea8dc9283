/**
 * `npm run queue`: n8n in queue mode on localhost: Redis and PostgreSQL (scripts/services), one main with the
 * editor and two workers (`n8n worker`), the package installed on each from the packed tarball, the FanPass
 * sandbox, and the "FanPass Sandbox" credential and the examples imported. Runs until Ctrl-C, then stops
 * everything and removes the scratch data (user folders, database, Redis).
 *
 *   npm run queue                      editor on http://localhost:5678 (or a free port)
 *   npm run queue -- --check           start everything, run one example on a worker, exit 0/1
 *   --skip-build                       use the existing dist/ (still packs)
 *
 * Environment: N8N_QUEUE_VERSION (default: the latest in n8n-runtime/n8n-versions.json), N8N_QUEUE_PORT
 * (default 5678), N8N_QUEUE_CONCURRENCY (per worker, default 5), N8N_QUEUE_KEEP=1 (keep the user folders).
 */
import { runManually, waitForExecution } from './n8n-runtime/n8nExecutions';
import { ensureN8n } from './n8n-runtime/n8nInstall';
import { versionFromEnv } from './n8n-runtime/n8nVersions';
import type { Owner } from './n8n-runtime/n8nServer';
import { buildAndPack } from './n8n-runtime/packageTarball';
import { EXAMPLE_CREDENTIAL } from './n8n-runtime/prepareInstance';
import { installExitHandlers, isPortFree, secs, stopAll } from './n8n-runtime/processes';
import { startQueueStack, type QueueStack } from './n8n-runtime/queueStack';
import { SANDBOX_TOKEN, startSandboxProcess } from './n8n-runtime/sandboxProcess';

const VERSION = versionFromEnv('N8N_QUEUE_VERSION');
const CHECK = process.argv.includes('--check');
const CONCURRENCY = Number(process.env.N8N_QUEUE_CONCURRENCY || 5);
/** A local, dev-only login (the editor only listens on 127.0.0.1); printed on screen on purpose. */
const DEV_OWNER: Owner = { email: 'dev@fanpass.test', password: 'FanPass-dev-0nly', firstName: 'FanPass', lastName: 'Developer' };

async function main(): Promise<void> {
	const t0 = Date.now();
	const running: { stack?: QueueStack } = {};
	installExitHandlers(async () => {
		await running.stack?.stop();
	});
	const install = ensureN8n(VERSION);
	const tarball = buildAndPack({ skipBuild: process.argv.includes('--skip-build') });
	const sandbox = await startSandboxProcess({ importDurationMs: 3000 });
	const preferred = Number(process.env.N8N_QUEUE_PORT || 5678);
	const stack = await startQueueStack({
		install,
		tarball: tarball.file,
		sandboxUrl: sandbox.url,
		label: `queue-n8n-${VERSION}`,
		workers: [CONCURRENCY, CONCURRENCY],
		owner: DEV_OWNER,
		mainPort: (await isPortFree(preferred)) ? preferred : undefined,
	});
	running.stack = stack;
	const editorUrl = stack.main.url.replace('127.0.0.1', 'localhost');
	try {
		if (CHECK) {
			const { executionId } = await runManually(stack.main, 'fanpassLoyaltyAttributes', "When clicking 'Execute workflow'");
			const execution = await waitForExecution(stack.main, executionId, 60_000);
			const worker = stack.workers.find((w) => w.startedExecutions().includes(executionId));
			const users = Object.keys((await sandbox.state()).users).length;
			const ok = execution.status === 'success' && worker !== undefined && users === 12;
			console.log(`queue check ${ok ? 'passed' : 'FAILED'}: execution ${executionId} ${execution.status} on ${worker?.name ?? 'no worker'}, ${users} users in the sandbox (${secs(Date.now() - t0)})`);
			process.exitCode = ok ? 0 : 1;
			return;
		}
		console.log(
			[
				'',
				`n8n ${VERSION} in queue mode with n8n-nodes-fanpass: ${editorUrl}   (ready after ${secs(Date.now() - t0)})`,
				`  log in as   ${DEV_OWNER.email} / ${DEV_OWNER.password}   (dev-only owner of this local instance)`,
				`  workers: ${stack.workers.map((w) => `${w.name} (concurrency ${w.concurrency}, health http://127.0.0.1:${w.healthPort}/healthz)`).join(', ')}`,
				`  Redis 127.0.0.1:${stack.redis.port}, PostgreSQL 127.0.0.1:${stack.postgres.port} (database ${stack.postgres.database})`,
				`  FanPass sandbox: ${sandbox.url}  (token ${SANDBOX_TOKEN}; state at ${sandbox.url}/__sandbox/state)`,
				`  credential "${EXAMPLE_CREDENTIAL.name}" and ${stack.instance.workflows.length} examples; manual runs go to the workers too`,
				`  files for Read/Write Files from Disk (shared by main and workers): ${stack.instance.filesDir}`,
				'',
				'Ctrl-C stops n8n, the workers, Redis, PostgreSQL and the sandbox.',
			].join('\n'),
		);
		await new Promise<never>(() => undefined); // until SIGINT/SIGTERM
	} finally {
		await stack.stop();
		await stopAll();
	}
}

main().catch((error: unknown) => {
	console.error(`\nqueue failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
	process.exitCode = 1;
	void stopAll();
});
