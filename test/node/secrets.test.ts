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
		['retried 429s until Max Retries', (sandbox) => {
			sandbox.faults.add({ kind: 'status', status: 429, retryAfter: '0', count: 5 });
			return { parameters: { ...upsert, requestOptions: { maxRetries: 2, retryDelay: 0.01 } }, items: items({ id: '1' }) };
		}],
		['a dropped connection, retried with continueOnFail', (sandbox) => {
			sandbox.faults.add({ kind: 'drop', count: 5 });
			return { continueOnFail: true, parameters: upsert, items: items({ id: '1' }) };
		}],
		['timeouts', (sandbox) => {
			sandbox.faults.add({ kind: 'delay', delayMs: 2000, count: 2 });
			return { parameters: { ...upsert, requestOptions: { maxRetries: 1, retryDelay: 0.01, timeout: 0.2 } }, items: items({ id: '1' }) };
		}],
		['a proxy page after a retry', (sandbox) => {
			sandbox.faults.add({ kind: 'html', status: 502, count: 5 });
			return { parameters: upsert, items: items({ id: '1' }) };
		}],
		['a status request for an unknown import', () => ({ parameters: { resource: 'segment', operation: 'getImportStatus', importId: '999999' }, items: items({}) })],
	];

	beforeEach(() => sandbox.reset());

	it.each(scenarios)('in %s', async (_, scenario) => {
		const run = scenario(sandbox);
		const faulted = sandbox.faults.list().length > 0;
		const result = await runFanPass(sandbox, run);
		// the fault scenarios really went through the retry paths
		if (faulted) expect(sandbox.faults.injected.length).toBeGreaterThan(0);
		const token = run.token ?? GOOD_TOKEN;
		expect(visibleText(result)).not.toContain(token);
		expect(visibleText(result)).not.toContain(GOOD_TOKEN);
	});
});
