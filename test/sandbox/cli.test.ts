/**
 * `npm run sandbox` (tsx sandbox/cli.ts): starts, prints how to configure the credential,
 * answers, and exits cleanly on SIGTERM / SIGINT.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

function startCli(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; output: () => string }> {
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

function exitCode(child: ChildProcess): Promise<number | null> {
	return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe('sandbox CLI', () => {
	it('reads FANPASS_SANDBOX_PORT/TOKENS, prints the credential settings, answers, and stops on SIGTERM', async () => {
		const { child, url, output } = await startCli({
			FANPASS_SANDBOX_PORT: '0',
			FANPASS_SANDBOX_TOKENS: 'tok-one, tok-two',
		});
		try {
			expect(output()).toContain(`API Host:  ${url}`);
			expect(output()).toContain('API Token: one of the 2 token(s) in FANPASS_SANDBOX_TOKENS');
			expect(output()).not.toContain('tok-one');
			const good = await fetch(`${url}/api/v1/update_user`, {
				method: 'POST',
				headers: { Authorization: 'Bearer tok-two', 'Content-Type': 'application/json' },
				body: '{}',
			});
			expect(good.status).toBe(400);
			const bad = await fetch(`${url}/api/v1/update_user`, {
				method: 'POST',
				headers: { Authorization: 'Bearer sandbox-token' },
				body: '{}',
			});
			expect(bad.status).toBe(401);
		} finally {
			const exited = exitCode(child);
			child.kill('SIGTERM');
			expect(await exited).toBe(0);
		}
		expect(output()).not.toContain('tok-two');
		expect(output()).toMatch(/POST \/api\/v1\/update_user -> 400 auth=valid/);
	});

	it('defaults to the sandbox-token and exits 0 on SIGINT', async () => {
		const { child, output } = await startCli({ FANPASS_SANDBOX_PORT: '0', FANPASS_SANDBOX_TOKENS: '' });
		expect(output()).toContain('API Token: sandbox-token');
		const exited = exitCode(child);
		child.kill('SIGINT');
		expect(await exited).toBe(0);
	});
});
