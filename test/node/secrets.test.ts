import type { SandboxHandle } from '../../sandbox/server';
import { GOOD_TOKEN, items, runFanPass, startTestSandbox, type FanPassRun } from './fixtures';

const CSV = Buffer.from('user_id\n1\n2\n');

/** Everything a user or an operator can see of a run: output, error fields and log lines. */
function visibleText(result: Awaited<ReturnType<typeof runFanPass>>): string {
	const error = result.error;
	return [
		JSON.stringify(result.output),
		error?.message,
		error?.description,
		error?.stack,
		JSON.stringify(error?.context ?? {}),
		JSON.stringify(error ?? {}),
		result.logs.join('\n'),
	].join('\n');
}

describe('the API token never shows', () => {
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startTestSandbox();
	});
	afterAll(async () => await sandbox.close());

	const upsert = { resource: 'segment', operation: 'upsert', title: 'T', tag: 't1', sourceType: 0, userIdSource: 'items', userId: '={{ $json.id }}', options: {}, requestOptions: { maxRetries: 1, retryDelay: 0.05 } };
	const scenarios: Array<[string, (sandbox: SandboxHandle) => FanPassRun]> = [
		['a successful upsert', () => ({ parameters: upsert, items: items({ id: '1' }) })],
		['a successful update', () => ({ parameters: { resource: 'user', operation: 'update', userId: '1', propertiesInput: 'json', propertiesJson: '{"sth": "y"}', options: {} }, items: items({}) })],
		['a rejected token', () => ({ token: `${GOOD_TOKEN}-revoked`, parameters: upsert, items: items({ id: '1' }) })],
		['a rejected token with continueOnFail', () => ({ token: `${GOOD_TOKEN}-revoked`, continueOnFail: true, parameters: upsert, items: items({ id: '1' }) })],
		['an unreachable host', () => ({ baseUrl: 'http://127.0.0.1:9', parameters: upsert, items: items({ id: '1' }) })],
		['a validation error', () => ({ parameters: { ...upsert, tag: 'bad tag' }, items: items({ id: '1' }) })],
		['a file upload', () => ({ parameters: { resource: 'segment', operation: 'uploadFile', title: 'T', tag: 't2', sourceType: 0, fileSource: 'binary', binaryPropertyName: 'data', options: {} }, items: [{ json: {}, binary: [{ property: 'data', fileName: 'a.csv', mimeType: 'text/csv', data: CSV }] }] })],
		['a status request for an unknown import', () => ({ parameters: { resource: 'segment', operation: 'getImportStatus', importId: '999999' }, items: items({}) })],
	];

	it.each(scenarios)('in %s', async (_, scenario) => {
		const run = scenario(sandbox);
		const result = await runFanPass(sandbox, run);
		const token = run.token ?? GOOD_TOKEN;
		expect(visibleText(result)).not.toContain(token);
		expect(visibleText(result)).not.toContain(GOOD_TOKEN);
	});
});
