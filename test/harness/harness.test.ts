import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';
import { ManualExecutionCancelledError, NodeApiError, NodeOperationError } from 'n8n-workflow';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

import { HarnessEcho } from './fixtures/HarnessEcho.node';
import { HarnessEchoApi } from './fixtures/HarnessEchoApi.credentials';
import { startEchoServer } from './fixtures/echo-server';
import type { EchoServer } from './fixtures/echo-server';
import { runNode, testCredential } from './index';
import type { RunNodeOptions } from './index';

const SECRET = 'sekret-token-4f1c';

let server: EchoServer;

beforeAll(async () => {
	server = await startEchoServer();
});

afterAll(async () => {
	await server.close();
});

beforeEach(() => {
	server.requests.length = 0;
});

function options(overrides: Partial<RunNodeOptions> = {}): RunNodeOptions {
	return {
		node: new HarnessEcho(),
		credentialTypes: [new HarnessEchoApi()],
		credentials: { harnessEchoApi: { apiToken: SECRET, baseUrl: server.baseUrl } },
		parameters: {},
		items: [{ json: {} }],
		...overrides,
	};
}

describe('runNode', () => {
	it('sends the credential type’s Bearer header and passes items through with pairedItem', async () => {
		const result = await runNode(
			options({ items: [{ json: { id: 1 } }, { json: { id: 2, note: '={{ not evaluated }}' } }] }),
		);

		expect(result.status).toBe('success');
		expect(result.error).toBeUndefined();
		expect(server.requests.map((r) => r.headers.authorization)).toEqual([
			`Bearer ${SECRET}`,
			`Bearer ${SECRET}`,
		]);
		expect(result.output).toEqual([
			{ json: { received: { id: 1 }, authorization: `Bearer ${SECRET}` }, pairedItem: { item: 0 } },
			{
				json: { received: { id: 2, note: '={{ not evaluated }}' }, authorization: `Bearer ${SECRET}` },
				pairedItem: { item: 1 },
			},
		]);
		expect(result.outputs).toEqual([result.output]);
	});

	it('captures n8n log lines, and the token never appears in them', async () => {
		const ok = await runNode(options());
		const failed = await runNode(options({ parameters: { path: '/fail' } }));

		expect(ok.logs).toEqual(
			expect.arrayContaining([expect.stringContaining('Harness Echo sending request')]),
		);
		expect(ok.logs).toEqual(
			expect.arrayContaining([expect.stringContaining('Workflow execution finished successfully')]),
		);
		expect(failed.logs.some((line) => line.includes('status code 500'))).toBe(true);
		for (const line of [...ok.logs, ...failed.logs]) expect(line).not.toContain(SECRET);
	});

	it('surfaces a thrown NodeApiError as result.error', async () => {
		const result = await runNode(options({ parameters: { path: '/fail' } }));

		expect(result.status).toBe('error');
		expect(result.output).toEqual([]);
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect(result.error).toMatchObject({
			name: 'NodeApiError',
			message: 'The service was not able to process your request',
			description: 'upstream exploded',
			httpCode: '500',
		});
	});

	it('turns failures into error items when continueOnFail is set', async () => {
		const result = await runNode(
			options({
				parameters: { path: '/fail' },
				items: [{ json: { id: 1 } }, { json: { id: 2 } }],
				continueOnFail: true,
			}),
		);

		expect(result.status).toBe('success');
		expect(result.error).toBeUndefined();
		expect(result.output).toEqual([
			{ json: { error: 'The service was not able to process your request' }, pairedItem: { item: 0 } },
			{ json: { error: 'The service was not able to process your request' }, pairedItem: { item: 1 } },
		]);
	});

	it('fails like n8n when the node has no credentials', async () => {
		const result = await runNode(options({ credentials: {} }));

		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect(result.error?.message).toBe('Node does not have any credentials set');
		expect(server.requests).toHaveLength(0);
	});

	it.each(['default', 'filesystem'] as const)('round-trips binary data in %s mode', async (binaryMode) => {
		const bytes = Buffer.from([0, 1, 2, 3, 250, 251, 252, 253, 254, 255]);
		const result = await runNode(
			options({
				binaryMode,
				parameters: { operation: 'upload', path: '/upload' },
				items: [
					{
						json: {},
						binary: [{ property: 'data', fileName: 'in.bin', mimeType: 'image/png', data: bytes }],
					},
				],
			}),
		);

		expect(result.error).toBeUndefined();
		expect(server.requests[0].body).toEqual(bytes);
		expect(server.requests[0].headers['content-type']).toBe('image/png');

		const [item] = result.output;
		expect(item.json).toMatchObject({ bytes: bytes.length, typeVersion: 2 });
		expect(item.binary?.data).toMatchObject({ fileName: 'echo-in.bin', bytes: bytes.length });
		expect(await result.readBinary(item)).toEqual(Buffer.from(bytes).reverse());
	});

	it('stores inputs inline in default mode and on disk (not as base64) in filesystem mode', async () => {
		const bytes = Buffer.from('binary payload '.repeat(20));
		const run = async (binaryMode: 'default' | 'filesystem') =>
			await runNode(
				options({
					binaryMode,
					parameters: { operation: 'upload', path: '/upload' },
					items: [{ json: {}, binary: [{ property: 'data', fileName: 'in.txt', data: bytes }] }],
				}),
			);

		const inline = (await run('default')).output[0];
		expect(inline.json.inputBinary).toEqual({ id: null, data: bytes.toString('base64') });
		expect(inline.binary?.data.id).toBeUndefined();

		const stored = await run('filesystem');
		const input = stored.output[0].json.inputBinary as { id: string; data: string };
		expect(input.data).toBe('filesystem-v2');
		expect(input.id).toMatch(/^filesystem-v2:workflows\/harness-workflow\/executions\/\d+\/binary_data\//);

		const service = Container.get(BinaryDataService);
		const inputPath = service.getPath(input.id);
		expect(inputPath.startsWith(tmpdir())).toBe(true);
		expect(existsSync(inputPath)).toBe(true);
		expect(readFileSync(inputPath)).toEqual(bytes);

		const output = stored.output[0].binary?.data;
		expect(output?.data).toBe('filesystem-v2');
		expect(readFileSync(service.getPath(output?.id as string))).toEqual(Buffer.from(bytes).reverse());
	});

	it('runs the requested typeVersion', async () => {
		const result = await runNode(
			options({
				typeVersion: 1,
				parameters: { operation: 'upload', path: '/upload' },
				items: [{ json: {}, binary: [{ property: 'data', fileName: 'a.txt', data: Buffer.from('a') }] }],
			}),
		);
		expect(result.error).toBeUndefined();
		expect(result.output[0].json.typeVersion).toBe(1);
	});

	it('sniffs an unnamed binary’s MIME type only where jest can import ESM', async () => {
		const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
		const result = await runNode(
			options({
				parameters: { operation: 'upload', path: '/upload' },
				items: [{ json: {}, binary: [{ property: 'data', fileName: 'picture', data: png }] }],
			}),
		);

		const esmEnabled = [...process.execArgv, process.env.NODE_OPTIONS ?? '']
			.join(' ')
			.includes('experimental-vm-modules');
		if (esmEnabled) {
			expect(server.requests[0].headers['content-type']).toBe('image/png');
		} else {
			expect(result.status).toBe('error');
			expect(result.error?.message).toContain('NODE_OPTIONS=--experimental-vm-modules');
		}
	});

	it('cancels the execution and the in-flight request when the abortSignal fires', async () => {
		const controller = new AbortController();
		void server.slowRequestReceived.then(() => controller.abort());

		const result = await runNode(
			options({ parameters: { path: '/slow' }, abortSignal: controller.signal }),
		);

		await server.slowRequestAborted;
		expect(result.status).toBe('canceled');
		expect(result.output).toEqual([]);
		expect(result.error?.message).toMatch(/cancel/i);
	});

	it('reports a cancellation error when aborted before the node ran', async () => {
		const controller = new AbortController();
		controller.abort();

		const result = await runNode(options({ abortSignal: controller.signal }));

		expect(result.status).toBe('canceled');
		expect(result.error).toBeInstanceOf(ManualExecutionCancelledError);
		expect(server.requests).toHaveLength(0);
	});

	it('runs a function `authenticate` and `preAuthentication` for an expirable token', async () => {
		const properties: INodeProperties[] = [
			{
				displayName: 'Session Token',
				name: 'sessionToken',
				type: 'hidden',
				typeOptions: { expirable: true },
				default: '',
			},
			{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
		];
		const sessionApi: ICredentialType = {
			name: 'harnessEchoApi',
			displayName: 'Harness Echo API (session)',
			properties,
			async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
				return (await this.helpers.httpRequest({
					method: 'POST',
					url: `${credentials.baseUrl as string}/login`,
					json: true,
				})) as { sessionToken: string };
			},
			async authenticate(credentials: ICredentialDataDecryptedObject, request: IHttpRequestOptions) {
				return {
					...request,
					headers: { ...request.headers, Authorization: `Session ${credentials.sessionToken as string}` },
				};
			},
		};

		const result = await runNode(
			options({
				credentialTypes: [sessionApi],
				credentials: { harnessEchoApi: { baseUrl: server.baseUrl } },
			}),
		);

		expect(result.error).toBeUndefined();
		expect(server.requests.map((r) => r.url)).toEqual(['/login', '/echo']);
		expect(result.output[0].json.authorization).toBe('Session session-from-login');
	});
});

describe('testCredential', () => {
	const echoApi = new HarnessEchoApi();
	const test = async (apiToken: string, credentialType: ICredentialType = echoApi) =>
		await testCredential({ credentialType, data: { apiToken, baseUrl: server.baseUrl } });

	it('is OK for a 2xx and sends the authenticated request to the resolved baseURL', async () => {
		expect(await test('good')).toMatchObject({ status: 'OK', message: 'Connection successful!' });
		expect(server.requests).toHaveLength(1);
		expect(server.requests[0]).toMatchObject({ method: 'GET', url: '/me' });
		expect(server.requests[0].headers.authorization).toBe('Bearer good');
	});

	it('reports a 401 with its status text, like n8n', async () => {
		expect(await test('wrong')).toMatchObject({ status: 'Error', message: 'Unauthorized' });
	});

	it('uses the message of a matching responseCode rule', async () => {
		expect(await test('scoped')).toMatchObject({
			status: 'Error',
			message: 'The token is valid but lacks the "read" scope',
		});
	});

	it('reports a network failure by its error code', async () => {
		const result = await testCredential({
			credentialType: echoApi,
			data: { apiToken: 'good', baseUrl: 'http://127.0.0.1:1' },
		});
		expect(result).toMatchObject({ status: 'Error', message: 'ECONNREFUSED' });
	});

	it('does not log the secret while testing', async () => {
		const { logs } = await test(SECRET);
		expect(logs.length).toBeGreaterThan(0);
		for (const line of logs) expect(line).not.toContain(SECRET);
	});

	it('honours ignoreHttpStatusErrors and responseSuccessBody rules', async () => {
		const lenient: ICredentialType = {
			...echoApi,
			authenticate: echoApi.authenticate,
			test: {
				request: { ...(echoApi.test as ICredentialTestRequest).request, ignoreHttpStatusErrors: true },
				rules: [
					{
						type: 'responseSuccessBody',
						properties: { key: 'status', value: 'suspended', message: 'Account suspended' },
					},
				],
			},
		};

		expect(await test('good', lenient)).toMatchObject({ status: 'OK' });
		expect(await test('suspended', lenient)).toMatchObject({
			status: 'Error',
			message: 'Account suspended',
		});
		// The 401 is ignored, so nothing marks the test as failed (n8n behaves the same).
		expect(await test('wrong', lenient)).toMatchObject({ status: 'OK' });
	});

	it('needs a declarative test', async () => {
		const untestable: ICredentialType = { ...echoApi, test: undefined };
		expect(await test('good', untestable)).toMatchObject({
			status: 'Error',
			message: 'No testing function found for this credential.',
		});
	});
});
