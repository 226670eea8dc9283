/**
 * n8n in queue mode on one user folder: a private Redis (scripts/services/redis.ts: 127.0.0.1, nothing saved), a
 * main (`n8n start`, EXECUTIONS_MODE=queue) that enqueues production executions, and one worker
 * (`n8n worker`) that runs them. SQLite is shared by both, which n8n warns about but runs.
 */
import type { ChildProcess } from 'node:child_process';
import { n8nEnv } from './n8nEnv';
import type { N8nInstall } from './n8nInstall';
import { startN8nServer, type N8nServer } from './n8nServer';
import { ensureServicesInstalled } from '../services/install';
import { startRedis } from '../services/redis';
import { freePort, killGroup, sleep, spawnDetached } from './processes';

export interface QueueMode {
	server: N8nServer;
	/** the worker's output lines */
	workerLog: string[];
	stop: () => Promise<void>;
}

function collect(child: ChildProcess, log: string[], verbose: boolean, label: string): void {
	const add = (chunk: Buffer) => {
		const lines = chunk.toString().split('\n').filter(Boolean);
		log.push(...lines);
		if (verbose) for (const line of lines) console.log(`[${label}] ${line}`);
	};
	child.stdout?.on('data', add);
	child.stderr?.on('data', add);
}

async function waitFor(what: string, child: ChildProcess, log: string[], ready: RegExp, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!log.some((line) => ready.test(line))) {
		if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} exited early:\n${log.slice(-30).join('\n')}`);
		if (Date.now() > deadline) throw new Error(`${what} was not ready in ${timeoutMs} ms:\n${log.slice(-30).join('\n')}`);
		await sleep(200);
	}
}

export async function startQueueMode(options: { install: N8nInstall; userFolder: string; env?: NodeJS.ProcessEnv; verbose?: boolean }): Promise<QueueMode> {
	const verbose = options.verbose ?? false;
	ensureServicesInstalled();
	const redis = await startRedis();
	const redisPort = redis.port;
	const stops: Array<() => Promise<void>> = [redis.stop];
	const stop = async () => {
		for (const stopOne of stops.reverse()) await stopOne();
	};
	try {
		const queueEnv = { ...options.env, EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(redisPort), QUEUE_HEALTH_CHECK_ACTIVE: 'false' };
		const server = await startN8nServer({ install: options.install, userFolder: options.userFolder, env: queueEnv, verbose });
		stops.push(server.stop);
		const worker = spawnDetached(options.install.n8nBin, ['worker', '--concurrency=2'], {
			env: n8nEnv(options.install, options.userFolder, await freePort(), { ...queueEnv, N8N_PORT: String(await freePort()) }),
		});
		const workerLog: string[] = [];
		collect(worker, workerLog, verbose, 'worker');
		stops.splice(1, 0, () => killGroup(worker, 10_000));
		await waitFor('n8n worker', worker, workerLog, /n8n worker is now ready/, 120_000);
		return { server, workerLog, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}
