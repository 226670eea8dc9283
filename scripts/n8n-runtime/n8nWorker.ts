/**
 * `n8n worker --concurrency=N` on its own user folder: takes executions from Redis (Bull) and runs them.
 * Its health server (QUEUE_HEALTH_CHECK_ACTIVE) listens on a free port of its own; ready means
 * /healthz/readiness answers 200 (database and Redis connected).
 */
import type { ChildProcess } from 'node:child_process';
import type { N8nInstall } from './n8nInstall';
import { n8nEnv } from './n8nEnv';
import { freePort, isRunning, killGroup, signalGroup, sleep, spawnDetached } from './processes';

export interface N8nWorker {
	name: string;
	child: ChildProcess;
	userFolder: string;
	concurrency: number;
	healthPort: number;
	/** n8n's own output lines */
	log: string[];
	startupMs: number;
	/** execution ids this worker logged "Worker started execution <id>" for */
	startedExecutions: () => string[];
	stop: () => Promise<void>;
	/** SIGKILL the whole process group (the worker and its task runner), as a crashed machine would */
	kill: () => Promise<void>;
}

export interface N8nWorkerOptions {
	name: string;
	install: N8nInstall;
	userFolder: string;
	concurrency: number;
	/** the queue-mode environment shared with main (database, Redis, binary data, file access) */
	env: NodeJS.ProcessEnv;
	startupTimeoutMs?: number;
	verbose?: boolean;
}

const STARTED = /Worker started execution (\d+)/;

export async function startN8nWorker(options: N8nWorkerOptions): Promise<N8nWorker> {
	const t0 = Date.now();
	const healthPort = await freePort();
	const env = n8nEnv(options.install, options.userFolder, await freePort(), {
		...options.env,
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		QUEUE_HEALTH_CHECK_PORT: String(healthPort),
		N8N_PORT: String(healthPort),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
	});
	const child = spawnDetached(options.install.n8nBin, ['worker', `--concurrency=${options.concurrency}`], { env });
	const log: string[] = [];
	const collect = (chunk: Buffer) => {
		const lines = chunk.toString().split('\n').filter(Boolean);
		log.push(...lines);
		if (options.verbose) for (const line of lines) console.log(`[${options.name}] ${line}`);
	};
	child.stdout?.on('data', collect);
	child.stderr?.on('data', collect);
	const stop = () => killGroup(child, 10_000);
	const kill = async () => {
		if (!isRunning(child)) return;
		const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		signalGroup(child, 'SIGKILL');
		await exited;
	};
	const deadline = Date.now() + (options.startupTimeoutMs ?? 120_000);
	for (;;) {
		if (!isRunning(child)) throw new Error(`${options.name} exited early (${child.exitCode ?? child.signalCode})\n${log.slice(-30).join('\n')}`);
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`${options.name} was not ready in time\n${log.slice(-30).join('\n')}`);
		}
		try {
			const ready = await fetch(`http://127.0.0.1:${healthPort}/healthz/readiness`);
			if (ready.ok && log.some((line) => line.includes('worker is now ready'))) break;
		} catch {
			/* not listening yet */
		}
		await sleep(250);
	}
	const startedExecutions = () => log.map((line) => STARTED.exec(line)?.[1]).filter((id): id is string => id !== undefined);
	return { name: options.name, child, userFolder: options.userFolder, concurrency: options.concurrency, healthPort, log, startupMs: Date.now() - t0, startedExecutions, stop, kill };
}
