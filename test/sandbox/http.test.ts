/**
 * Transport-level behaviour: auth, methods, paths, bodies, the envelope, the request log,
 * the control endpoints and the handle.
 */
import { startSandbox, type SandboxHandle } from '../../sandbox/server';
import { call, csv, upload, UNAUTHORIZED, UUID_V4 } from './helpers';

const SECRET = 'sekrit-token-7f3a9c';
const OTHER = 'second-token';
const logLines: string[] = [];
let sandbox: SandboxHandle;

beforeAll(async () => {
	sandbox = await startSandbox({ tokens: [SECRET, OTHER], log: (line) => logLines.push(line), maxJsonBodyBytes: 4096 });
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => {
	sandbox.reset();
	logLines.length = 0;
});

const validSegment = { title: 'T', tag: 't', userIds: ['a'] };

describe('auth', () => {
	it.each([
		['no Authorization header', { token: null }, { present: false, valid: false }],
		['a wrong token', { token: 'sandbox-token' }, { present: true, valid: false }],
		['another scheme', { authorization: `Basic ${SECRET}` }, { present: true, valid: false }],
		['a token with trailing junk', { authorization: `Bearer ${SECRET} extra` }, { present: true, valid: false }],
		['an empty bearer', { authorization: 'Bearer ' }, { present: true, valid: false }],
	])('%s -> 401 with the documented message', async (_label, options, auth) => {
		const res = await call(sandbox, '/api/v1/segments', validSegment, options);
		expect(res.status).toBe(401);
		expect(res.body).toMatchObject({ status: 401, messages: [], errors: [UNAUTHORIZED] });
		expect(res.headers.get('www-authenticate')).toBe('Bearer');
		expect(sandbox.state.segments.size).toBe(0);
		expect(sandbox.state.requests[0].auth).toEqual(auth);
	});

	it('accepts every configured token, a lower-case scheme and surrounding spaces', async () => {
		for (const options of [{ token: SECRET }, { token: OTHER }, { authorization: `bearer ${SECRET}` }, { authorization: `  Bearer   ${SECRET}  ` }]) {
			const res = await call(sandbox, '/api/v1/segments', validSegment, options);
			expect(res.status).toBe(200);
		}
		expect(sandbox.state.requests.every((request) => request.auth.present && request.auth.valid)).toBe(true);
	});

	it('is checked before anything else: bad token on an unknown path, a wrong method or a bad body is still 401', async () => {
		expect((await call(sandbox, '/nowhere', {}, { token: 'bad' })).status).toBe(401);
		expect((await call(sandbox, '/api/v1/segments', undefined, { token: 'bad', method: 'GET' })).status).toBe(401);
		expect((await call(sandbox, '/api/v1/segments', '{not json', { token: null })).status).toBe(401);
	});

	it('good token + empty body -> 400 missing fields on every endpoint (what the credential test needs)', async () => {
		const expected: Record<string, string> = {
			'/api/v1/segments': 'Missing required fields: title, tag, userIds',
			'/api/v1/update_user': 'Missing required fields: userIds, userProperties',
			'/api/v1/segment_import_status': 'Missing required field: firebase_imported_segment_id',
		};
		for (const [path, error] of Object.entries(expected)) {
			for (const body of [undefined, {}]) {
				const res = await call(sandbox, path, body, { token: SECRET });
				expect(res.status).toBe(400);
				expect(res.body.errors).toEqual([error]);
			}
		}
	});

	it('never stores or logs the token', async () => {
		await call(sandbox, '/api/v1/segments', validSegment, { token: SECRET });
		await call(sandbox, '/api/v1/update_user', {}, { authorization: `Bearer ${SECRET}-wrong` });
		const dump = await (await fetch(`${sandbox.url}/__sandbox/state`)).text();
		expect(dump).not.toContain(SECRET);
		expect(JSON.stringify(sandbox.state.requests)).not.toContain(SECRET);
		expect(sandbox.state.requests[0].headers).not.toHaveProperty('authorization');
		expect(logLines.join('\n')).not.toContain(SECRET);
		expect(logLines).toHaveLength(2);
		expect(logLines[0]).toMatch(/^POST \/api\/v1\/segments -> 200 auth=valid correlationId=[0-9a-f-]{36} \(\d+\.\d ms\)$/);
		expect(logLines[1]).toMatch(/^POST \/api\/v1\/update_user -> 401 auth=invalid /);
	});
});

describe('routing', () => {
	it.each(['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])('%s on an API path -> 405 envelope with Allow: POST', async (method) => {
		const res = await call(sandbox, '/api/v1/update_user', undefined, { token: SECRET, method });
		expect(res.status).toBe(405);
		expect(res.headers.get('allow')).toBe('POST');
		expect(res.body).toMatchObject({
			status: 405,
			messages: [],
			errors: [`Method ${method} not allowed for /api/v1/update_user: every FanPass endpoint is POST`],
		});
	});

	it('HEAD -> 405 (no body)', async () => {
		const response = await fetch(`${sandbox.url}/api/v1/segments`, { method: 'HEAD', headers: { Authorization: `Bearer ${SECRET}` } });
		expect(response.status).toBe(405);
	});

	it.each(['/', '/api/v1/segment', '/api/v1/segments/', '/api/v2/segments', '/API/V1/SEGMENTS'])('unknown path %s -> 404 envelope', async (path) => {
		const res = await call(sandbox, path, {}, { token: SECRET });
		expect(res.status).toBe(404);
		expect(res.body).toMatchObject({ status: 404, messages: [], errors: [`Not found: no FanPass endpoint at ${path}`] });
	});

	it('ignores the query string', async () => {
		const res = await call(sandbox, '/api/v1/segments?debug=1', validSegment, { token: SECRET });
		expect(res.status).toBe(200);
		expect(sandbox.state.requests[0]).toMatchObject({ path: '/api/v1/segments', query: '?debug=1' });
	});
});

describe('bodies', () => {
	it('invalid JSON -> 400 envelope with the parser message; the raw text is recorded', async () => {
		const res = await call(sandbox, '/api/v1/segments', '{"title": "T",', { token: SECRET });
		expect(res.status).toBe(400);
		expect(res.body.errors).toHaveLength(1);
		expect(res.body.errors[0]).toMatch(/^Invalid JSON body: /);
		expect(sandbox.state.requests[0]).toMatchObject({ rawBody: '{"title": "T",' });
		expect(sandbox.state.requests[0]).not.toHaveProperty('body');
	});

	it.each(['[1,2]', '"text"', 'null', '42'])('a JSON %s that is not an object -> 400', async (raw) => {
		const res = await call(sandbox, '/api/v1/update_user', raw, { token: SECRET });
		expect(res.status).toBe(400);
		expect(res.body.errors).toEqual(['Invalid JSON body: expected a JSON object']);
	});

	it.each(['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/vnd.api+json'])(
		'reads %s as JSON',
		async (contentType) => {
			const res = await call(sandbox, '/api/v1/segments', validSegment, { token: SECRET, headers: { 'Content-Type': contentType } });
			expect(res.status).toBe(200);
		},
	);

	it('reads a body without Content-Type as JSON', async () => {
		const response = await fetch(`${sandbox.url}/api/v1/segments`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${SECRET}` },
			body: new Blob([JSON.stringify(validSegment)]),
		});
		expect(response.status).toBe(200);
		expect(sandbox.state.requests[0].contentType).toBeNull();
	});

	it('rejects other content types with 415', async () => {
		const res = await call(sandbox, '/api/v1/segments', 'title=T', {
			token: SECRET,
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		});
		expect(res.status).toBe(415);
		expect(res.body.errors).toEqual([
			'Unsupported Content-Type "application/x-www-form-urlencoded": send application/json or multipart/form-data',
		]);
	});

	it('a JSON body over maxJsonBodyBytes -> 413', async () => {
		const res = await call(sandbox, '/api/v1/segments', { ...validSegment, notes: 'x'.repeat(5000) }, { token: SECRET });
		expect(res.status).toBe(413);
		expect(res.body.errors).toEqual(['Request body too large: maximum is 4096 bytes']);
	});

	it('records the parsed JSON body, the response and sanitized headers', async () => {
		const res = await call(sandbox, '/api/v1/segments', validSegment, { token: SECRET, headers: { 'User-Agent': 'n8n-test' } });
		const [request] = sandbox.state.requests;
		expect(request).toMatchObject({
			seq: 1,
			method: 'POST',
			path: '/api/v1/segments',
			contentType: 'application/json',
			body: validSegment,
			auth: { present: true, valid: true },
			correlationId: res.body.correlationId,
			status: 200,
			response: { status: 200, correlationId: res.body.correlationId, body: res.body },
		});
		expect(request.headers['user-agent']).toBe('n8n-test');
	});
});

describe('envelope', () => {
	it('every response has status = HTTP status, a fresh uuid v4 correlationId (also in X-Correlation-Id), messages and errors', async () => {
		const replies = [
			await call(sandbox, '/api/v1/segments', validSegment, { token: SECRET }),
			await call(sandbox, '/api/v1/segments', {}, { token: SECRET }),
			await call(sandbox, '/api/v1/segments', {}, { token: null }),
			await call(sandbox, '/x', {}, { token: SECRET }),
			await call(sandbox, '/api/v1/segments', undefined, { token: SECRET, method: 'GET' }),
		];
		const seen = new Set<string>();
		for (const res of replies) {
			expect(res.body.status).toBe(res.status);
			expect(res.body.correlationId).toMatch(UUID_V4);
			expect(res.headers.get('x-correlation-id')).toBe(res.body.correlationId);
			expect(Array.isArray(res.body.messages)).toBe(true);
			expect(Array.isArray(res.body.errors)).toBe(true);
			expect(Object.keys(res.body).slice(0, 4)).toEqual(['status', 'correlationId', 'messages', 'errors']);
			seen.add(res.body.correlationId);
		}
		expect(seen.size).toBe(replies.length);
	});
});

describe('control endpoints (/__sandbox, no auth)', () => {
	it('GET /__sandbox/health', async () => {
		const response = await fetch(`${sandbox.url}/__sandbox/health`);
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ ok: true });
	});

	it('GET /__sandbox/state dumps segments, users, imports (with status) and requests, without file bytes', async () => {
		await call(sandbox, '/api/v1/update_user', { userIds: ['u1'], userProperties: { sth: 'yes' } }, { token: SECRET });
		await upload(sandbox, { title: 'T', tag: 'fileTag' }, { name: 'u.csv', content: csv([['u1'], ['u2']]) }, { token: SECRET });
		const response = await fetch(`${sandbox.url}/__sandbox/state`);
		expect(response.status).toBe(200);
		const dump = (await response.json()) as {
			segments: Record<string, { userIds: string[] }>;
			users: Record<string, unknown>;
			imports: Record<string, { import_status: { state: string } }>;
			requests: { multipart?: { file: Record<string, unknown> } }[];
			nextImportId: number;
		};
		expect(dump.segments.fileTag.userIds).toEqual(['u1', 'u2']);
		expect(dump.users.u1).toMatchObject({ user_properties: { sth: 'yes' }, custom: {} });
		expect(dump.imports['1001'].import_status.state).toBe('pending');
		expect(dump.requests).toHaveLength(2);
		const file = dump.requests[1].multipart!.file;
		expect(file).toMatchObject({ fileName: 'u.csv', size: 8 });
		expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
		expect(file).not.toHaveProperty('bytes');
		expect(dump.nextImportId).toBe(1002);
		// The in-process state still has the bytes.
		expect(sandbox.state.requests[1].multipart!.file!.bytes.toString()).toBe('u1\r\nu2\r\n');
	});

	it('POST /__sandbox/reset clears everything in place', async () => {
		const { state } = sandbox;
		await call(sandbox, '/api/v1/segments', validSegment, { token: SECRET });
		await upload(sandbox, { title: 'T', tag: 'x' }, { name: 'u.csv', content: 'a\n' }, { token: SECRET });
		const response = await fetch(`${sandbox.url}/__sandbox/reset`, { method: 'POST' });
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ ok: true });
		expect(sandbox.state).toBe(state);
		expect(state.segments.size + state.users.size + state.imports.size + state.requests.length).toBe(0);
		expect(state.nextImportId).toBe(1001);
	});

	it('handle.reset() does the same', async () => {
		await call(sandbox, '/api/v1/segments', validSegment, { token: SECRET });
		sandbox.reset();
		expect(sandbox.state.segments.size).toBe(0);
		expect(sandbox.state.requests).toHaveLength(0);
	});

	it('control calls are not recorded and need no token', async () => {
		await fetch(`${sandbox.url}/__sandbox/state`, { headers: { Authorization: 'Bearer nope' } });
		await fetch(`${sandbox.url}/__sandbox/health`);
		expect(sandbox.state.requests).toHaveLength(0);
		expect(logLines).toHaveLength(0);
	});

	it('wrong methods -> 405, unknown control paths -> 404', async () => {
		expect((await fetch(`${sandbox.url}/__sandbox/state`, { method: 'POST' })).status).toBe(405);
		expect((await fetch(`${sandbox.url}/__sandbox/reset`)).status).toBe(405);
		expect((await fetch(`${sandbox.url}/__sandbox/imports/1/fail`)).status).toBe(405);
		const unknown = await fetch(`${sandbox.url}/__sandbox/nope`);
		expect(unknown.status).toBe(404);
		expect(await unknown.json()).toEqual({ ok: false, error: 'Unknown sandbox control endpoint GET /__sandbox/nope' });
	});
});

describe('startSandbox / handle', () => {
	it('listens on 127.0.0.1 with a random port by default', async () => {
		expect(sandbox.url).toBe(`http://127.0.0.1:${sandbox.port}`);
		expect(sandbox.port).toBeGreaterThan(0);
	});

	it('honours firstImportId and lets tests set nextImportId', async () => {
		const other = await startSandbox({ firstImportId: 5000 });
		try {
			const first = await upload(other, { title: 'T', tag: 't' }, { name: 'a.csv', content: 'a\n' });
			expect(first.body.firebase_imported_segment_id).toBe(5000);
			other.state.nextImportId = 77;
			const second = await upload(other, { title: 'T', tag: 't' }, { name: 'a.csv', content: 'a\n' });
			expect(second.body.firebase_imported_segment_id).toBe(77);
			other.reset();
			expect(other.state.nextImportId).toBe(5000);
		} finally {
			await other.close();
		}
	});

	it('rejects bad options', async () => {
		await expect(startSandbox({ tokens: [] })).rejects.toThrow('tokens must hold at least one token');
		await expect(startSandbox({ importDurationMs: -1 })).rejects.toThrow('importDurationMs must be a non-negative integer');
	});

	it('fails to start on a port in use', async () => {
		await expect(startSandbox({ port: sandbox.port })).rejects.toThrow(/EADDRINUSE/);
	});

	it('close() ends keep-alive connections and frees the port', async () => {
		const other = await startSandbox();
		await call(other, '/api/v1/segments', validSegment);
		await other.close();
		await expect(fetch(`${other.url}/__sandbox/health`)).rejects.toThrow();
	});
});
