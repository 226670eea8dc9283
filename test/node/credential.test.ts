import { FanPassApi } from '../../credentials/FanPassApi.credentials';
import type { SandboxHandle } from '../../sandbox/server';
import { testCredential } from '../harness';
import { BAD_TOKEN, GOOD_TOKEN, startTestSandbox } from './fixtures';

describe('FanPass API credential', () => {
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startTestSandbox();
	});
	afterAll(async () => await sandbox.close());
	beforeEach(() => sandbox.reset());

	const test = (apiToken: string, baseUrl = sandbox.url) =>
		testCredential({ credentialType: new FanPassApi(), data: { apiToken, baseUrl } });

	it('passes for a good token, and changes nothing on FanPass', async () => {
		expect(await test(GOOD_TOKEN)).toMatchObject({ status: 'OK', message: 'Connection successful!' });
		expect(sandbox.state.requests).toHaveLength(1);
		expect(sandbox.state.requests[0].status).toBe(400);
		expect(sandbox.state.users.size).toBe(0);
	});

	it('tolerates a token pasted with spaces and a host with a trailing slash', async () => {
		expect((await test(`  ${GOOD_TOKEN}\n`, `${sandbox.url}/`)).status).toBe('OK');
	});

	it('fails for a bad token with FanPass\'s own 401 message', async () => {
		expect(await test(BAD_TOKEN)).toMatchObject({
			status: 'Error',
			message:
				'The API access token is missing or invalid. Please verify that you are using the correct FanPass API token, which is available in the Fanreach Portal.',
		});
	});

	it('fails for a host that is not FanPass', async () => {
		const result = await test(GOOD_TOKEN, `${sandbox.url}/not-fanpass`);
		expect(result.status).toBe('Error');
	});

	describe('on n8n 1.x, which ignores every HTTP status of the Test request and only applies body rules', () => {
		const credentialAs1x = () => {
			const credential = new FanPassApi();
			credential.test = { ...credential.test, request: { ...credential.test.request, ignoreHttpStatusErrors: true } };
			return credential;
		};
		const test1x = (apiToken: string, baseUrl = sandbox.url) =>
			testCredential({ credentialType: credentialAs1x(), data: { apiToken, baseUrl } });

		it('passes for a good token', async () => {
			expect((await test1x(GOOD_TOKEN)).status).toBe('OK');
		});

		it("fails for a bad token with FanPass's own 401 message", async () => {
			expect(await test1x(BAD_TOKEN)).toMatchObject({ status: 'Error', message: expect.stringContaining('missing or invalid') });
		});

		it('fails for an API Host with a wrong path (FanPass answers 404)', async () => {
			expect(await test1x(GOOD_TOKEN, `${sandbox.url}/not-fanpass`)).toMatchObject({
				status: 'Error',
				message: expect.stringContaining('FanPass answered HTTP 404'),
			});
		});
	});

	it('sends the token, trimmed, only as a Bearer header, with no expression to evaluate', async () => {
		const credential = new FanPassApi();
		expect(typeof credential.authenticate).toBe('function');
		expect(credential.properties.find((property) => property.name === 'apiToken')?.typeOptions?.password).toBe(true);
		expect((await test(`\t${GOOD_TOKEN}  `)).status).toBe('OK');
		expect(sandbox.state.requests[0].auth).toEqual({ present: true, valid: true });
		const options = await credential.authenticate(
			{ apiToken: ` ${GOOD_TOKEN}\n`, baseUrl: sandbox.url },
			{ url: `${sandbox.url}/api/v1/update_user`, headers: { 'X-Other': '1' } },
		);
		expect(options.headers).toEqual({ 'X-Other': '1', Authorization: `Bearer ${GOOD_TOKEN}` });
	});

	it.each([
		'http://user:s3cr3t-pw@127.0.0.1:PORT',
		'http://user@127.0.0.1:PORT',
		'http://:s3cr3t-pw@127.0.0.1:PORT/',
	])('refuses an API Host with a user name or password (%s), never repeating the password', async (host) => {
		const result = await test(GOOD_TOKEN, host.replace('PORT', String(sandbox.port)));
		expect(result.status).toBe('Error');
		expect(result.message).toContain('The API Host contains a user name or password');
		expect(JSON.stringify(result)).not.toContain('s3cr3t-pw');
		expect(JSON.stringify(result)).not.toContain(GOOD_TOKEN);
		// refused before anything was sent
		expect(sandbox.state.requests).toHaveLength(0);
	});
});
