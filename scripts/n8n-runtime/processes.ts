/**
 * Child processes for the n8n runtime tools: every child is spawned detached (its own process group), so that
 * stopping it also stops what it started (n8n's task runner, tsx's node). All children are tracked and
 * killed when this process exits or gets SIGINT/SIGTERM.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '..', '..');

const children = new Set<ChildProcess>();
let stopping = false;

export const isRunning = (child: ChildProcess): boolean => child.exitCode === null && child.signalCode === null && child.pid !== undefined;

/** Signals the child's whole process group. */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (!isRunning(child)) return;
	try {
		process.kill(-(child.pid as number), signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			/* already gone */
		}
	}
}

/** SIGTERM the group, SIGKILL it after graceMs if it is still there; resolves once it has exited. */
export async function killGroup(child: ChildProcess, graceMs = 5000): Promise<void> {
	if (!isRunning(child)) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	signalGroup(child, 'SIGTERM');
	const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
	// the leader may be gone while others in its group linger (e.g. a task runner)
	try {
		process.kill(-(child.pid as number), 'SIGKILL');
	} catch {
		/* group empty */
	}
}

/** Synchronous last resort (process 'exit'): SIGKILL every tracked group. */
export function killAllNow(): void {
	for (const child of children) signalGroup(child, 'SIGKILL');
}

export async function stopAll(graceMs = 5000): Promise<void> {
	await Promise.all([...children].map((child) => killGroup(child, graceMs)));
}

export function isStopping(): boolean {
	return stopping;
}

let handlersInstalled = false;
/** Kill all children on exit; on SIGINT/SIGTERM stop them gracefully, run onSignal, then exit 130. */
export function installExitHandlers(onSignal?: () => Promise<void> | void): void {
	if (handlersInstalled) return;
	handlersInstalled = true;
	process.on('exit', killAllNow);
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.on(signal, () => {
			if (stopping) return;
			stopping = true;
			console.error(`\n${signal}: stopping child processes`);
			void Promise.resolve(onSignal?.())
				.catch(() => undefined)
				.then(() => stopAll())
				.then(() => process.exit(130));
		});
	}
}

export interface SpawnOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	/** a file descriptor for the child's stdout instead of a pipe (a pipe loses what is unwritten when the child calls process.exit) */
	stdoutFd?: number;
}

/** Starts a tracked, detached child with piped stdout/stderr. */
export function spawnDetached(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
	if (stopping) throw new Error('stopping: not starting another process');
	const child = spawn(command, args, {
		cwd: options.cwd ?? ROOT,
		env: options.env ?? process.env,
		stdio: ['ignore', options.stdoutFd ?? 'pipe', 'pipe'],
		detached: true,
	});
	children.add(child);
	child.on('exit', () => children.delete(child));
	child.on('error', () => children.delete(child));
	return child;
}

export interface RunResult {
	code: number | null;
	stdout: string;
	stderr: string;
	ms: number;
	timedOut: boolean;
}

/** Runs a command to completion, collecting its output; kills its group after timeoutMs. */
export function run(command: string, args: string[], options: SpawnOptions & { timeoutMs?: number } = {}): Promise<RunResult> {
	const t0 = Date.now();
	return new Promise((resolve, reject) => {
		let child: ChildProcess;
		try {
			child = spawnDetached(command, args, options);
		} catch (error) {
			return reject(error);
		}
		let stdout = '';
		let stderr = '';
		let timedOut = false;
		child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const timer = setTimeout(() => {
			timedOut = true;
			void killGroup(child);
		}, options.timeoutMs ?? 300_000);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', (code) => {
			clearTimeout(timer);
			resolve({ code, stdout, stderr, ms: Date.now() - t0, timedOut });
		});
	});
}

/** Runs a command with inherited stdio; throws when it fails. Returns the time it took. */
export function runOrThrow(label: string, command: string, args: string[], options: SpawnOptions = {}): number {
	const t0 = Date.now();
	const result = spawnSync(command, args, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, stdio: 'inherit' });
	if (result.status !== 0) throw new Error(`${label} failed (exit ${result.status ?? result.signal})`);
	return Date.now() - t0;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

/** True when nothing listens on 127.0.0.1:port (and we may bind it). */
export function isPortFree(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.unref();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

export const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
