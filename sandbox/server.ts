/**
 * FanPass sandbox: a local fake of the FanPass API (plain node:http) for developing and testing
 * the n8n node. See sandbox/README.md.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkAuth } from './auth';
import { drain } from './body';
import { resolveConfig, type SandboxConfig, type SandboxOptions } from './config';
import {
	ApiError,
	errorResult,
	sendJson,
	toEnvelope,
	UNAUTHORIZED_MESSAGE,
	type ApiResult,
} from './envelope';
import { computeImportStatus, forceImport, type ImportStatus } from './imports';
import type { Route, RouteContext } from './routes/context';
import { handleControl, isControlPath } from './routes/control';
import { importStatusRoute } from './routes/importStatus';
import { segmentsRoute } from './routes/segments';
import { updateUserRoute } from './routes/updateUser';
import { createState, dumpState, resetState, type RecordedRequest, type SandboxState } from './state';

export type { SandboxOptions } from './config';
export type { ImportStatus } from './imports';
export type * from './state';

export interface SandboxHandle {
	/** Base URL, e.g. `http://127.0.0.1:5680` (no trailing slash). */
	url: string;
	port: number;
	/** Live state; reading it is safe, tests may also set `nextImportId`. */
	state: SandboxState;
	/** Clears all state in place. */
	reset(): void;
	close(): Promise<void>;
	/** Test hook: the import fails now. Returns its status, or null for an unknown id. */
	failImport(id: number, reason?: string): ImportStatus | null;
	/** Test hook: the import completes now. */
	completeImport(id: number): ImportStatus | null;
	/** The import's status as segment_import_status would report it now. */
	importStatus(id: number): ImportStatus | null;
}

const ROUTES: ReadonlyMap<string, Route> = new Map([
	['/api/v1/segments', segmentsRoute],
	['/api/v1/update_user', updateUserRoute],
	['/api/v1/segment_import_status', importStatusRoute],
]);

const HIDDEN_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

function recordableHeaders(req: IncomingMessage): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(req.headers)) {
		if (HIDDEN_HEADERS.has(name) || value === undefined) continue;
		headers[name] = Array.isArray(value) ? value.join(', ') : value;
	}
	return headers;
}

function describeAuth(auth: { present: boolean; valid: boolean }): string {
	if (auth.valid) return 'valid';
	return auth.present ? 'invalid' : 'missing';
}

class Sandbox {
	readonly state: SandboxState;
	private seq = 0;

	constructor(readonly config: SandboxConfig) {
		this.state = createState(config.firstImportId);
	}

	reset(): void {
		resetState(this.state, this.config.firstImportId);
		this.seq = 0;
	}

	importStatus(id: number): ImportStatus | null {
		const record = this.state.imports.get(id);
		return record ? computeImportStatus(record, this.config.now()) : null;
	}

	forceImport(id: number, outcome: 'failed' | 'completed', reason: string | null): ImportStatus | null {
		const record = this.state.imports.get(id);
		return record ? forceImport(record, outcome, this.config.now(), reason) : null;
	}

	dump(): unknown {
		return dumpState(this.state, (record) => computeImportStatus(record, this.config.now()));
	}

	async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
		if (isControlPath(url.pathname)) {
			await handleControl(req, res, url.pathname, {
				dump: () => this.dump(),
				reset: () => this.reset(),
				forceImport: (id, outcome, reason) => this.forceImport(id, outcome, reason),
			});
			return;
		}
		await this.handleApi(req, res, url);
	}

	private async handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
		const started = process.hrtime.bigint();
		const receivedAt = new Date(this.config.now()).toISOString();
		const method = req.method ?? 'GET';
		const path = url.pathname;
		const auth = checkAuth(req.headers.authorization, this.config.tokens);
		let correlationId: string = randomUUID();
		const parsed: RouteContext['record'] = {};

		let result: ApiResult;
		try {
			// Auth first, before routing: a bad token gets 401 whatever the path or method.
			if (!auth.valid) throw new ApiError(401, [UNAUTHORIZED_MESSAGE], { 'WWW-Authenticate': 'Bearer' });
			const route = ROUTES.get(path);
			if (!route) throw new ApiError(404, [`Not found: no FanPass endpoint at ${path}`]);
			if (method !== 'POST') {
				throw new ApiError(405, [`Method ${method} not allowed for ${path}: every FanPass endpoint is POST`], {
					Allow: 'POST',
				});
			}
			result = await route({
				req,
				config: this.config,
				state: this.state,
				record: parsed,
				setCorrelationId: (id) => {
					correlationId = id;
				},
				nowMs: () => this.config.now(),
			});
		} catch (error) {
			result = errorResult(error);
		}
		// Whatever was not read is drained, so clients never see a reset connection.
		await drain(req);

		const envelope = toEnvelope(result, correlationId);
		const entry: RecordedRequest = {
			seq: ++this.seq,
			receivedAt,
			method,
			path,
			query: url.search,
			contentType: req.headers['content-type'] ?? null,
			headers: recordableHeaders(req),
			auth,
			...parsed,
			correlationId,
			status: result.status,
			response: { status: result.status, correlationId, body: envelope },
			durationMs: Number(process.hrtime.bigint() - started) / 1e6,
		};
		this.state.requests.push(entry);
		this.config.log?.(
			`${method} ${path} -> ${result.status} auth=${describeAuth(auth)} correlationId=${correlationId} (${entry.durationMs.toFixed(1)} ms)`,
		);
		sendJson(res, result.status, envelope, { 'X-Correlation-Id': correlationId, ...(result.headers ?? {}) });
	}
}

export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
	const config = resolveConfig(options);
	const sandbox = new Sandbox(config);
	const server = createServer((req, res) => {
		sandbox.handle(req, res).catch((error: unknown) => {
			if (res.headersSent) {
				res.destroy();
				return;
			}
			const envelope = toEnvelope(errorResult(error), randomUUID());
			sendJson(res, 500, envelope);
		});
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(config.port, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const { port } = server.address() as AddressInfo;

	return {
		url: `http://127.0.0.1:${port}`,
		port,
		state: sandbox.state,
		reset: () => sandbox.reset(),
		failImport: (id, reason) => sandbox.forceImport(id, 'failed', reason ?? null),
		completeImport: (id) => sandbox.forceImport(id, 'completed', null),
		importStatus: (id) => sandbox.importStatus(id),
		close: () =>
			new Promise<void>((resolve, reject) => {
				server.close((error) => (error ? reject(error) : resolve()));
				server.closeAllConnections();
			}),
	};
}
