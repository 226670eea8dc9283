import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { SandboxHandle } from '../../sandbox/server';
import { GOOD_TOKEN, items, runFanPass } from './fixtures';

/** A stand-in for what can sit between n8n and FanPass: FanPass's own 400, a proxy, a dead host. */
function startStub(status: number, body: string, contentType = 'application/json') {
	const received: Array<{ authorization?: string; body: string }> = [];
	const server = createServer((request, response) => {
		let body_ = '';
		request.on('data', (chunk) => (body_ += chunk));
		request.on('end', () => {
			received.push({ authorization: request.headers.authorization, body: body_ });
			response.writeHead(status, { 'content-type': contentType });
			response.end(body);
		});
	});
	return new Promise<{ server: Server; url: string; received: typeof received }>((resolve) =>
		server.listen(0, '127.0.0.1', () =>
			resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received }),
		),
	);
}

/** One quick retry, so that these tests also cover what the user sees after retrying. */
const upsert = { resource: 'segment', operation: 'upsert', title: 'T', tag: 'tag1', sourceType: 0, userIdSource: 'items', userId: '={{ $json.id }}', options: {}, requestOptions: { maxRetries: 1, retryDelay: 0.05 } };
const sandboxAt = (url: string) => ({ url }) as unknown as SandboxHandle;

describe('transport: what FanPass (or something in front of it) answers', () => {
	it('turns FanPass\'s 400 envelope into an error with its text, status and correlationId', async () => {
		const stub = await startStub(400, JSON.stringify({ status: 400, correlationId: 'b2c3d4e5-f6a7-8901-2345-67890abcdef1', messages: [], errors: ['Missing required fields: title, tag, userIds'] }));
		const result = await runFanPass(sandboxAt(stub.url), { parameters: upsert, items: items({ id: '1' }) });
		stub.server.close();
		expect(stub.received[0].authorization).toBe(`Bearer ${GOOD_TOKEN}`);
		expect(result.error?.message).toBe('FanPass rejected the request: Missing required fields: title, tag, userIds');
		expect(result.error?.httpCode).toBe('400');
		expect(result.error?.description).toContain('b2c3d4e5-f6a7-8901-2345-67890abcdef1');
	});

	it.each([
		[502, '<html><body>Bad Gateway</body></html>', 'text/html', 'HTTP 502'],
		[200, '', 'text/plain', 'HTTP 200'],
		[200, '{"status": 200, "correl', 'application/json', 'HTTP 200'],
	])('reports a %p with a non-envelope body clearly instead of crashing', async (status, body, type, expected) => {
		const stub = await startStub(status, body, type);
		const result = await runFanPass(sandboxAt(stub.url), { parameters: upsert, items: items({ id: '1' }) });
		stub.server.close();
		expect(result.error?.message).toContain(expected);
		expect(result.error?.message).toContain('not FanPass\'s JSON');
		// a 502 is a gateway error worth one more try (Max Retries 1); a 200 is final
		expect(stub.received).toHaveLength(status === 502 ? 2 : 1);
		if (status === 502) expect(result.error?.message).toContain('after 2 attempts');
	});

	it('reports an unreachable host with its address and never the token', async () => {
		const stub = await startStub(200, '{}');
		const url = stub.url;
		await new Promise((resolve) => stub.server.close(resolve));
		const result = await runFanPass(sandboxAt(url), { parameters: upsert, items: items({ id: '1' }) });
		expect(result.error?.message).toContain(`Could not reach FanPass at ${url}`);
		expect(JSON.stringify(result.error)).not.toContain(GOOD_TOKEN);
		expect(result.logs.join('\n')).not.toContain(GOOD_TOKEN);
	});
});
