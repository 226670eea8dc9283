/**
 * n8n in queue mode, as a scaled-out deployment runs it: Redis and PostgreSQL (scripts/services), one main
 * (`n8n start`: editor, REST, webhooks, schedules) and workers (`n8n worker`), each with its own user folder
 * and the package installed there from the packed tarball (the way an image bakes it in), sharing the
 * encryption key, the database, Redis and a files folder (like a mounted volume). Manual runs from the editor
 * are offloaded to the workers too. Shared by `npm run queue` and `npm run test:queue`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureServicesInstalled } from '../services/install';
import { startPostgres, type PostgresService } from '../services/postgres';
import { startRedis, type RedisService } from '../services/redis';
import type { CredentialImport, WorkflowJson } from './n8nCli';
import type { N8nInstall } from './n8nInstall';
import { startN8nServer, type N8nServer, type Owner } from './n8nServer';
import { startN8nWorker, type N8nWorker } from './n8nWorker';
import { installTarball, scratchUserFolder } from './packageTarball';
import { prepareInstance, type PreparedInstance } from './prepareInstance';

export interface QueueStackOptions {
	install: N8nInstall;
	tarball: string;
	sandboxUrl: string;
	/** label of the scratch user folders */
	label: string;
	/** one entry per worker (default: two workers of concurrency 5) */
	workers?: number[];
	/** N8N_DEFAULT_BINARY_DATA_MODE (default 'database', 2.x's choice in queue mode) */
	binaryDataMode?: string;
	extraWorkflows?: WorkflowJson[];
	/** more credentials, imported with the example's before main starts */
	extraCredentials?: CredentialImport[];
	owner?: Owner;
	mainPort?: number;
	/** more environment for every n8n process */
	env?: NodeJS.ProcessEnv;
	verbose?: boolean;
}

export interface QueueStack {
	redis: RedisService;
	postgres: PostgresService;
	main: N8nServer;
	workers: N8nWorker[];
	instance: PreparedInstance;
	/** the environment every n8n process of the stack shares */
	env: NodeJS.ProcessEnv;
	/** another worker; withPackage false leaves its user folder without the package */
	startWorker: (name: string, concurrency: number, withPackage?: boolean) => Promise<N8nWorker>;
	/** every user folder the stack created */
	folders: string[];
	stop: () => Promise<void>;
}

export function queueEnv(redis: RedisService, postgres: PostgresService, binaryDataMode: string): NodeJS.ProcessEnv {
	return {
		EXECUTIONS_MODE: 'queue',
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: postgres.password,
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		N8N_DEFAULT_BINARY_DATA_MODE: binaryDataMode,
	};
}

export async function startQueueStack(options: QueueStackOptions): Promise<QueueStack> {
	ensureServicesInstalled();
	const [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
	const folders: string[] = [];
	const workers: N8nWorker[] = [];
	let main: N8nServer | undefined;
	const stop = async () => {
		await Promise.all(workers.map((w) => w.stop()));
		await main?.stop();
		await Promise.all([redis.stop(), postgres.stop()]);
		if (process.env.N8N_QUEUE_KEEP !== '1') for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
	};
	try {
		const mainFolder = scratchUserFolder(`${options.label}-main`);
		folders.push(mainFolder);
		const shared = { ...queueEnv(redis, postgres, options.binaryDataMode ?? 'database'), ...options.env };
		// the CLI imports (credential, examples) go straight into PostgreSQL, before main starts
		const instance = await prepareInstance(options.install, mainFolder, options.tarball, options.sandboxUrl, options.verbose, {
			env: shared,
			extraWorkflows: options.extraWorkflows,
			extraCredentials: options.extraCredentials,
		});
		const env = instance.env; // file access to the shared files folder + the queue settings
		main = await startN8nServer({ install: options.install, userFolder: mainFolder, port: options.mainPort, owner: options.owner, env, verbose: options.verbose });
		const startWorker = async (name: string, concurrency: number, withPackage = true) => {
			const folder = scratchUserFolder(`${options.label}-${name}`);
			folders.push(folder);
			if (withPackage) installTarball(options.tarball, folder, options.install.node24BinDir);
			const worker = await startN8nWorker({ name, install: options.install, userFolder: folder, concurrency, env, verbose: options.verbose });
			workers.push(worker);
			return worker;
		};
		const concurrencies = options.workers ?? [5, 5];
		for (const [i, concurrency] of concurrencies.entries()) await startWorker(`worker${i + 1}`, concurrency);
		return { redis, postgres, main, workers, instance, env, startWorker, folders, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

/** The package folder a worker loads the node from (absent for a worker started without it). */
export function workerPackageDir(worker: N8nWorker): string {
	return path.join(worker.userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-fanpass');
}
