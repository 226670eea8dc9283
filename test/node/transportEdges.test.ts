import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject } from 'n8n-workflow';

import { MAX_LISTED, MAX_RESPONSE_BYTES, MAX_TEXT_CHARS } from '../../nodes/FanPass/transport';
import { startSandbox, type SandboxHandle } from '../../sandbox/server';
import { HarnessCredentialsHelper } from '../harness/credentials-helper';
import { GOOD_TOKEN, items, requestsTo, runFanPass, updateParameters, upsertParameters } from './fixtures';
import { runProbe } from './transportProbe';

/**
 * The transport at its edges, over real HTTP against the sandbox's faults: a 2xx that is not a
 * success, huge answers, a server that trickles its answer, an API Host with a password, import
 * ids FanPass leaves out or sends as text, and the credential read once per run.
 */

const SEGMENTS = '/api/v1/segments';
const UPDATE = '/api/v1/update_user';
const STATUS = '/api/v1/segment_import_status';
const fast = { retryDelay: 0.05 };
const updateBody = { userIds: ['u1'], userProperties: { loyalty_tier: 'gold' } };

let sandbox: SandboxHandle;
beforeAll(async () => {
	sandbox = await startSandbox({ tokens: [GOOD_TOKEN], customAttributes: ['loyalty_tier'], importDurationMs: 400 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

describe('a 2xx is a success only when FanPass says so', () => {
	it('HTTP 200 whose envelope says 500 is FanPass failing: an error with its text, not retried', async () => {
		sandbox.faults.add({ kind: 'status', status: 200, envelopeStatus: 500, message: 'Segment was not stored' });
		const result = await runProbe(sandbox, { bodies: [updateBody] });
		expect(result.error?.message).toBe('FanPass failed (status 500 in an HTTP 200 answer)');
		expect(result.error?.description).toContain('FanPass said: Segment was not stored');
		expect(result.error?.httpCode).toBe('500');
		expect(result.output).toEqual([]);
		expect(requestsTo(sandbox, UPDATE)).toHaveLength(1);
	});

	it('HTTP 200 whose envelope says 503 is retried like a 503', async () => {
		sandbox.faults.add({ kind: 'status', status: 200, envelopeStatus: 503, count: 2 });
		const result = await runProbe(sandbox, { bodies: [updateBody] });
		expect(result.error).toBeUndefined();
		expect(result.output[0].json).toMatchObject({ status: 200, errors: [] });
		expect(requestsTo(sandbox, UPDATE)).toHaveLength(3);
		expect(result.logs.join('\n')).toMatch(/HTTP 503; retry 2 of 5/);
		expect(sandbox.state.users.get('u1')?.custom.loyalty_tier).toBe('gold');
	});

	it('HTTP 200 whose envelope says 429 honours Retry-After', async () => {
		sandbox.faults.add({ kind: 'status', status: 200, envelopeStatus: 429, retryAfter: '0.2', count: 1 });
		const result = await runProbe(sandbox, { bodies: [updateBody], requestOptions: { retryDelay: 30 } });
		expect(result.error).toBeUndefined();
		expect(requestsTo(sandbox, UPDATE)).toHaveLength(2);
	});

	it.each([
		[400, 'FanPass rejected the request (status 400 in an HTTP 200 answer): Bad Request (fault injected by the FanPass sandbox)'],
		[401, 'The FanPass API token is missing or invalid.'],
		[413, 'FanPass rejected the request (status 413 in an HTTP 200 answer)'],
	])('HTTP 200 whose envelope says %p is that error, never retried', async (envelopeStatus, message) => {
		sandbox.faults.add({ kind: 'status', status: 200, envelopeStatus, message: envelopeStatus === 400 ? 'Bad Request (fault injected by the FanPass sandbox)' : undefined });
		const result = await runProbe(sandbox, { bodies: [updateBody] });
		expect(result.error?.message).toContain(message);
		expect(result.error?.httpCode).toBe(String(envelopeStatus));
		expect(requestsTo(sandbox, UPDATE)).toHaveLength(1);
	});

	const upload = { resource: 'segment', operation: 'uploadFile', title: 'T', tag: 'up1', sourceType: 0, fileSource: 'binary', binaryPropertyName: 'data', options: {}, requestOptions: fast };
	const csv = [{ json: {}, binary: [{ property: 'data', fileName: 'a.csv', mimeType: 'text/csv', data: Buffer.from('user_id\n1\n') }] }];
	it.each([
		['Upsert Segment', SEGMENTS, upsertParameters({ requestOptions: fast }), items({ user_id: '1' })],
		['Upload Segment File', SEGMENTS, upload, csv],
		['Update User', UPDATE, updateParameters({ requestOptions: fast }), items({ user_id: '1', props: { loyalty_tier: 'x' } })],
		['Get Import Status', STATUS, { resource: 'segment', operation: 'getImportStatus', importId: '1001', requestOptions: fast }, items({})],
	])('%s: "200 with status 500, not stored" is an error naming FanPass\'s text', async (_, path, parameters, input) => {
		sandbox.faults.add({ kind: 'status', status: 200, envelopeStatus: 500, message: 'the data was not stored' });
		const result = await runFanPass(sandbox, { parameters, items: input });
		expect(result.error?.message).toContain('FanPass failed (status 500 in an HTTP 200 answer)');
		expect(result.error?.description).toContain('the data was not stored');
		expect(requestsTo(sandbox, path)).toHaveLength(1);
	});

	it("a success with errors is returned, the errors kept for the caller to show as warnings", async () => {
		sandbox.faults.add({ kind: 'rewrite', set: { errors: ['row 3 of the batch was not stored'] } });
		const result = await runProbe(sandbox, { bodies: [updateBody] });
		expect(result.error).toBeUndefined();
		expect(result.output[0].json).toMatchObject({ status: 200, errors: ['row 3 of the batch was not stored'], errorCount: 1, messageCount: 1 });
		expect(sandbox.state.users.get('u1')?.custom.loyalty_tier).toBe('gold');
	});
});

describe("FanPass's messages and errors are bounded", () => {
	it('a 60 MB answer of 100,000 long warnings becomes a few kB of output', async () => {
		sandbox.faults.add({ kind: 'rewrite', pad: { messages: 100_000, length: 600 } });
		const result = await runFanPass(sandbox, { parameters: updateParameters(), items: items({ user_id: 'u1', props: { loyalty_tier: 'gold' } }) });
		expect(result.error).toBeUndefined();
		const output = JSON.stringify(result.output);
		expect(output.length).toBeLessThan(60_000);
		const messages = result.output[0].json.messages as string[];
		expect(messages).toHaveLength(MAX_LISTED + 1);
		expect(messages[0]).toBe('Successfully updated user properties for 1 users');
		expect(messages[1]).toMatch(/^Warning: message 1 of 100000 .*x… \(100 more characters\)$/);
		expect(messages[1].length).toBeLessThan(MAX_TEXT_CHARS + 40);
		expect(messages[MAX_LISTED]).toBe('(FanPass sent 100,001 messages; the first 20 are shown, 99,981 were left out)');
		expect(sandbox.state.users.get('u1')?.custom.loyalty_tier).toBe('gold');
	});

	it('an error answer with 50,000 errors: the message names 3 and the count, the details hold 20', async () => {
		sandbox.faults.add({ kind: 'rewrite', status: 400, set: { status: 400 }, pad: { errors: 50_000, length: 2_000 } });
		const result = await runProbe(sandbox, { bodies: [updateBody] });
		expect(result.error?.message).toMatch(/^FanPass rejected the request: error 1 of 50000 .*; error 3 of 50000 .*; and 49997 more \(see the error details\)$/);
		expect(result.error?.message.length).toBeLessThan(2_000);
		expect(result.error?.context?.fanPassErrors).toHaveLength(MAX_LISTED + 1);
		expect(JSON.stringify(result.error).length).toBeLessThan(100_000);
	});

	describe('answers larger than the node reads', () => {
		let stub: Server;
		let url: string;
		let mode: 'declared' | 'chunked' = 'declared';
		let received = 0;
		beforeAll(async () => {
			stub = createServer((request, response) => {
				received++;
				request.resume();
				request.on('end', () => {
					if (mode === 'declared') {
						response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(MAX_RESPONSE_BYTES + 1) });
						response.write('{"status":200,"messages":["');
						return;
					}
					response.writeHead(200, { 'content-type': 'application/json' });
					const chunk = Buffer.alloc(1024 * 1024, 0x61);
					let sent = 0;
					const more = (): void => {
						while (sent <= MAX_RESPONSE_BYTES && !response.destroyed) {
							sent += chunk.length;
							if (!response.write(chunk)) {
								response.once('drain', more);
								return;
							}
						}
						response.end();
					};
					more();
				});
			});
			await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
			url = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
		});
		afterAll(async () => {
			stub.closeAllConnections();
			await new Promise((resolve) => stub.close(resolve));
		});
		beforeEach(() => (received = 0));

		it.each(['declared', 'chunked'] as const)('%s: stops reading, says FanPass may have applied it, does not retry', async (kind) => {
			mode = kind;
			const result = await runProbe(sandbox, { bodies: [updateBody], baseUrl: url });
			expect(result.error?.message).toContain(`FanPass's answer to ${UPDATE} was larger than 100 MB`);
			if (kind === 'declared') expect(result.error?.message).toContain('(100 MB announced)');
			expect(result.error?.description).toContain('FanPass may have applied the request');
			expect(received).toBe(1);
		});
	});
});

describe('the Timeout is a deadline for the whole answer', () => {
	it('an answer trickled a byte every 400 ms is abandoned at the Timeout and retried', async () => {
		sandbox.faults.add({ kind: 'trickle', intervalMs: 400, count: 1 });
		const result = await runProbe(sandbox, { bodies: [updateBody], requestOptions: { ...fast, timeout: 1 } });
		expect(result.error).toBeUndefined();
		expect(result.output[0].json).toMatchObject({ status: 200, messages: ['Successfully updated user properties for 1 users'] });
		expect(requestsTo(sandbox, UPDATE).map((request) => request.fault)).toEqual(['trickle', undefined]);
		expect(result.logs.join('\n')).toMatch(/ETIMEDOUT; retry 1 of 5/);
	});

	it('when every attempt trickles, the error names the Timeout and the attempts', async () => {
		sandbox.faults.add({ kind: 'trickle', intervalMs: 400, count: 5 });
		const result = await runProbe(sandbox, { bodies: [updateBody], requestOptions: { ...fast, timeout: 0.5, maxRetries: 1 } });
		expect(result.error?.message).toMatch(/^FanPass did not answer within 0\.5 s \(the Timeout in the node's Request Options\) after 2 attempts/);
		expect(result.error?.description).toContain('The Timeout covers the whole answer');
		expect(requestsTo(sandbox, UPDATE)).toHaveLength(2);
	});

	it('an upload whose answer trickles is abandoned and sent again', async () => {
		sandbox.faults.add({ kind: 'trickle', intervalMs: 400, count: 1, path: 'segments' });
		const result = await runProbe(sandbox, {
			endpoint: SEGMENTS,
			multipart: true,
			requireImportId: true,
			bodies: [{ title: 'T', tag: 'trickled' }],
			requestOptions: { ...fast, timeout: 1 },
		});
		expect(result.error).toBeUndefined();
		expect(result.output[0].json.importId).toBe(1002);
		expect(requestsTo(sandbox, SEGMENTS)).toHaveLength(2);
	});

	it('stopping the execution ends a trickled attempt', async () => {
		sandbox.faults.add({ kind: 'trickle', intervalMs: 400, count: 1 });
		const abort = new AbortController();
		setTimeout(() => abort.abort(), 300);
		const result = await runProbe(sandbox, { bodies: [updateBody], requestOptions: { timeout: 60 }, abortSignal: abort.signal });
		if (result.status !== 'canceled') expect(result.error?.message).toContain('The execution was stopped while sending to FanPass');
		expect(requestsTo(sandbox, UPDATE)).toHaveLength(1);
	});

	it.each([
		[0, 'is 0; it must be more than 0 and at most 3600 seconds'],
		[-1, 'is -1; it must be more than 0'],
		[3601, 'is 3601; it must be more than 0 and at most 3600 seconds'],
		['soon', 'is "soon"; it must be more than 0'],
	])('Timeout %p is refused before anything is sent', async (timeout, message) => {
		const result = await runProbe(sandbox, { bodies: [updateBody], requestOptions: { timeout } });
		expect(result.error?.message).toContain(`Item 0: Request Options → Timeout (Seconds) ${message}`);
		expect(result.error?.message).toContain('the node never waits without a limit');
		expect(sandbox.state.requests).toHaveLength(0);
	});

	it.each([
		[{ maxRetries: 2.5 }, 'Max Retries is 2.5; it must be a whole number from 0 to 20'],
		[{ maxRetryWait: -3 }, 'Max Retry Wait (Seconds) is -3'],
		[{ retryDelay: 'x' }, 'First Retry Delay (Seconds) is "x"'],
	])('other Request Options that cannot be used are refused by name (%p)', async (requestOptions, message) => {
		const result = await runFanPass(sandbox, { parameters: updateParameters({ requestOptions }), items: items({ user_id: '1', props: { loyalty_tier: 'x' } }) });
		expect(result.error?.message).toContain(message);
		expect(sandbox.state.requests).toHaveLength(0);
	});
});

describe('an API Host with a user name or password', () => {
	it.each(['http://fan:pw-s3cret@127.0.0.1:PORT', 'http://fan@127.0.0.1:PORT/', 'htp://fan:pw-s3cret@127.0.0.1:PORT'])(
		'%s is refused at run time, before anything is sent, without showing the password',
		async (host) => {
			const baseUrl = host.replace('PORT', String(sandbox.port));
			const result = await runFanPass(sandbox, { baseUrl, parameters: updateParameters(), items: items({ user_id: '1', props: { loyalty_tier: 'x' } }) });
			expect(result.error?.message).toMatch(/API Host in the FanPass credential (contains a user name or password|\("htp:\/\/…@127\.0\.0\.1:\d+"\) is not an http\(s\) URL)/);
			const visible = [JSON.stringify(result.output), JSON.stringify(result.error), result.error?.stack, result.logs.join('\n')].join('\n');
			expect(visible).not.toContain('pw-s3cret');
			expect(visible).not.toContain(GOOD_TOKEN);
			expect(sandbox.state.requests).toHaveLength(0);
		},
	);
});

describe('import ids', () => {
	const uploadProbe = (rule?: IDataObject) => {
		if (rule) sandbox.faults.add({ kind: 'rewrite', path: 'segments', ...rule });
		return runProbe(sandbox, { endpoint: SEGMENTS, multipart: true, requireImportId: true, bodies: [{ title: 'T', tag: 'ids' }] });
	};

	it('an import id as a number or as numeric text is read as a number', async () => {
		expect((await uploadProbe()).output[0].json.importId).toBe(1001);
		const asText = await uploadProbe({ stringify: ['firebase_imported_segment_id'] });
		expect(asText.output[0].json.firebase_imported_segment_id).toBe('1002');
		expect(asText.output[0].json.importId).toBe(1002);
	});

	it.each([
		['absent', { unset: ['firebase_imported_segment_id'] }, 'but without firebase_imported_segment_id: the import ID is needed'],
		['null', { set: { firebase_imported_segment_id: null } }, 'but without firebase_imported_segment_id'],
		['not a number', { set: { firebase_imported_segment_id: 'abc' } }, 'but with firebase_imported_segment_id "abc", which is not a whole number'],
	])('a success whose import id is %s is an error naming the field', async (_, rule, message) => {
		const result = await uploadProbe(rule);
		expect(result.error?.message).toContain(`FanPass answered with success (status 200) ${message}`);
		expect(result.error?.description).toMatch(/correlationId [0-9a-f-]{36}/);
		expect(requestsTo(sandbox, SEGMENTS)).toHaveLength(1);
	});
});

describe('the credential is read once per run', () => {
	it('20 requests, one credential read, every request with the Bearer token', async () => {
		const reads = jest.spyOn(HarnessCredentialsHelper.prototype, 'getDecrypted');
		try {
			const tiers = Array.from({ length: 20 }, (_, i) => `tier${i}`);
			const result = await runFanPass(sandbox, {
				parameters: updateParameters(),
				items: items(...tiers.map((tier, i) => ({ user_id: `c${i}`, props: { loyalty_tier: tier } }))),
			});
			expect(result.error).toBeUndefined();
			expect(requestsTo(sandbox, UPDATE)).toHaveLength(20);
			expect(requestsTo(sandbox, UPDATE).every((request) => request.auth.valid)).toBe(true);
			expect(reads).toHaveBeenCalledTimes(1);
		} finally {
			reads.mockRestore();
		}
	});
});
