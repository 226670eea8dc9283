/**
 * A private PostgreSQL 15 cluster on 127.0.0.1 and a free port, with one database for n8n. PostgreSQL refuses
 * to run as root: as root, initdb and postgres run as the `postgres` user Debian's package creates (runuser),
 * which owns the data folder; otherwise as the current user. Tuned for throwaway data (no fsync).
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort, isRunning, signalGroup, sleep, spawnDetached } from '../n8n-runtime/processes';
import { serviceFolder } from './dataFolder';

export const PG_BIN = '/usr/lib/postgresql/15/bin';
export const PG_USER = 'fanpass';
export const PG_DATABASE = 'n8n';
/** Scratch-only: the cluster trusts local connections; n8n is given this password anyway. */
export const PG_PASSWORD = 'fanpass-scratch';

export interface PostgresService {
	host: string;
	port: number;
	user: string;
	password: string;
	database: string;
	child: ChildProcess;
	log: string[];
	/** Fast shutdown (SIGINT), then removes the data folder. */
	stop: () => Promise<void>;
}

const isRoot = () => process.getuid?.() === 0;

/** The command line that runs a PostgreSQL binary as a non-root user. */
function asPgUser(binary: string, args: string[]): [string, string[]] {
	const full = path.join(PG_BIN, binary);
	return isRoot() ? ['runuser', ['-u', 'postgres', '--', full, ...args]] : [full, args];
}

function runPg(binary: string, args: string[]): void {
	const [command, fullArgs] = asPgUser(binary, args);
	const result = spawnSync(command, fullArgs, { encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`${binary} ${args.join(' ')} failed (${result.status ?? result.signal}): ${result.stderr || result.stdout || result.error?.message}`);
}

export async function startPostgres(): Promise<PostgresService> {
	if (!fs.existsSync(path.join(PG_BIN, 'postgres'))) throw new Error(`${PG_BIN}/postgres is missing: bash scripts/services/install.sh`);
	const folder = serviceFolder('postgres');
	const dataDir = path.join(folder, 'data');
	fs.mkdirSync(dataDir, { mode: 0o700 });
	if (isRoot()) {
		fs.chownSync(folder, 0, 0);
		const owner = spawnSync('chown', ['-R', 'postgres:postgres', folder]);
		if (owner.status !== 0) throw new Error(`chown postgres ${folder} failed: is Debian's postgresql installed (it creates the postgres user)?`);
	}
	const passwordFile = path.join(folder, 'pwfile');
	fs.writeFileSync(passwordFile, PG_PASSWORD, { mode: 0o600 });
	if (isRoot()) spawnSync('chown', ['postgres:postgres', passwordFile]);
	runPg('initdb', ['-D', dataDir, '-U', PG_USER, '--auth=trust', `--pwfile=${passwordFile}`, '-E', 'UTF8', '--no-locale', '--no-sync']);
	const port = await freePort();
	const [command, args] = asPgUser('postgres', [
		'-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${folder}`,
		'-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=100',
	]);
	const child = spawnDetached(command, args);
	const log: string[] = [];
	const collect = (chunk: Buffer) => log.push(...chunk.toString().split('\n').filter(Boolean));
	child.stdout?.on('data', collect);
	child.stderr?.on('data', collect);
	const stop = async () => {
		if (isRunning(child)) {
			const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
			signalGroup(child, 'SIGINT'); // fast shutdown: SIGTERM would wait for n8n's pool to disconnect
			const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 10_000);
			await exited;
			clearTimeout(timer);
		}
		fs.rmSync(folder, { recursive: true, force: true });
	};
	for (let attempt = 0; attempt < 150; attempt++) {
		if (!isRunning(child)) break;
		const ready = spawnSync(path.join(PG_BIN, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', PG_USER], { encoding: 'utf8' });
		if (ready.status === 0) {
			const created = spawnSync(path.join(PG_BIN, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', PG_USER, PG_DATABASE], { encoding: 'utf8' });
			if (created.status !== 0) {
				await stop();
				throw new Error(`createdb ${PG_DATABASE} failed: ${created.stderr}`);
			}
			return { host: '127.0.0.1', port, user: PG_USER, password: PG_PASSWORD, database: PG_DATABASE, child, log, stop };
		}
		await sleep(200);
	}
	await stop();
	throw new Error(`postgres did not become ready on 127.0.0.1:${port}\n${log.slice(-20).join('\n')}`);
}
