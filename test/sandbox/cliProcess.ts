/**
 * Runs `tsx sandbox/cli.ts` as a child process for the CLI tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

export interface RunningCli {
	child: ChildProcess;
	url: string;
	output: () => string;
}

/** Starts the CLI and resolves once it prints its URL; rejects if it exits first. */
export function startCli(env: Record<string, string>): Promise<RunningCli> {
	const child = spawn(TSX, ['sandbox/cli.ts'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	return new Promise((resolve, reject) => {
		const onData = (chunk: Buffer) => {
			output += chunk.toString();
			const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
			if (match) resolve({ child, url: match[1], output: () => output });
		};
		child.stdout!.on('data', onData);
		child.stderr!.on('data', (chunk: Buffer) => {
			output += chunk.toString();
		});
		child.on('exit', (code) => reject(new Error(`cli exited early (${code}): ${output}`)));
	});
}

export function exitCode(child: ChildProcess): Promise<number | null> {
	return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}
