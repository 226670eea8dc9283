/**
 * `npm run sandbox` (tsx sandbox/cli.ts): starts, prints how to configure the credential,
 * answers, and exits cleanly on SIGTERM / SIGINT.
 */
import { exitCode, startCli } from './cliProcess';

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
