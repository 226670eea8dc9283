/**
 * The credential's Test, run by n8n itself: the credential is created through n8n's REST API and tested
 * with POST /rest/credentials/test, body { credentials: { id, name, type, data } } (same shape in 1.x and 2.x).
 */
import { UNAUTHORIZED_MESSAGE } from '../../../sandbox/envelope';
import { freePort } from '../../../scripts/n8n-runtime/processes';
import { SANDBOX_TOKEN } from '../../../scripts/n8n-runtime/sandboxProcess';
import { unwrap, type N8nServer } from '../../../scripts/n8n-runtime/n8nServer';
import type { SuiteContext } from './context';

interface TestResult {
	status?: string;
	message?: string;
}

async function createAndTest(server: N8nServer, name: string, data: Record<string, unknown>): Promise<TestResult> {
	const created = unwrap<{ id: string; name: string; type: string }>(await server.rest('POST', '/rest/credentials', { name, type: 'fanPassApi', data }));
	return unwrap<TestResult>(await server.rest('POST', '/rest/credentials/test', { credentials: { id: created.id, name: created.name, type: 'fanPassApi', data } }));
}

export async function credentialTest(ctx: SuiteContext): Promise<void> {
	const { checks, sandbox } = ctx;
	const server = await ctx.server();
	const badToken = ctx.secrets[0];

	await sandbox.reset();
	const good = await createAndTest(server, 'FanPass REST good token', { apiToken: SANDBOX_TOKEN, baseUrl: sandbox.url });
	checks.equal('good token: status OK', good.status, 'OK');
	let state = await sandbox.state();
	checks.check(
		'good token: the Test reached the sandbox with a valid token',
		state.requests.length === 1 && state.requests[0].path === '/api/v1/update_user' && state.requests[0].auth.valid,
		state.requests.map((r) => `${r.method} ${r.path} → ${r.status} valid=${r.auth.valid}`),
	);

	await sandbox.reset();
	const bad = await createAndTest(server, 'FanPass REST bad token', { apiToken: badToken, baseUrl: sandbox.url });
	checks.equal('bad token: status Error', bad.status, 'Error');
	checks.equal("bad token: message is FanPass's own 401 text", bad.message, UNAUTHORIZED_MESSAGE);
	state = await sandbox.state();
	checks.check(
		'bad token: the sandbox answered 401 (and saw no valid token)',
		state.requests.length >= 1 && state.requests.every((r) => r.status === 401 && !r.auth.valid),
		state.requests.map((r) => `${r.method} ${r.path} → ${r.status}`),
	);

	await sandbox.reset();
	const wrongPath = await createAndTest(server, 'FanPass REST wrong path', { apiToken: SANDBOX_TOKEN, baseUrl: `${sandbox.url}/nope` });
	checks.equal('wrong host path (sandbox URL + /nope): status Error', wrongPath.status, 'Error');
	checks.check('wrong host path: message is not a success', !!wrongPath.message && !/success/i.test(wrongPath.message), wrongPath);

	const closedPort = await freePort();
	const closed = await createAndTest(server, 'FanPass REST closed port', { apiToken: SANDBOX_TOKEN, baseUrl: `http://127.0.0.1:${closedPort}` });
	checks.equal('closed port: status Error', closed.status, 'Error');
	checks.check('closed port: message says the connection was refused', /ECONNREFUSED|refused|connect/i.test(String(closed.message)), closed);
}
