/**
 * FanPass sandbox: a local fake of the FanPass API (plain node:http) for developing and testing
 * the n8n node. See sandbox/README.md.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { checkAuth, type AuthOutcome } from './auth';
import { bodyKind, drain, parseJsonBody, readBody } from './body';
import { resolveConfig, type SandboxConfig, type SandboxOptions } from './config';
import {
	ApiError,
	errorResult,
	sendJson,
	toEnvelope,
	UNAUTHORIZED_MESSAGE,
	type ApiResult,
	type Envelope,
} from './envelope';
import { faultEnvelope, faultStatus, sendFault } from './faultResponses';
import { FaultInjector, type FaultRecord, type FaultRule, type ListedFaultRule } from './faults';
import { MidwayFailures, type MidwayRemaining, type MidwayStatus } from './midwayFailures';
import { computeImportStatus, forceImport, type ImportStatus } from './imports';
import type { Route, RouteContext } from './routes/context';
import { handleControl, isControlPath } from './routes/control';
import { importStatusRoute } from './routes/importStatus';
import { segmentsRoute } from './routes/segments';
import { updateUserRoute } from './routes/updateUser';
import { InFlightGauge, summariseState } from './summary';
import { createState, dumpState, resetState, type RecordedRequest, type SandboxState } from './state';

export type { SandboxOptions } from './config';
export type { ImportStatus } from './imports';
export type { FaultKind, FaultRecord, FaultRule, ListedFaultRule } from './faults';
export type { MidwayRemaining, MidwayStatus } from './midwayFailures';
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
	/** Fault injection (see sandbox/faults.ts). reset() clears it too. */
	faults: {
		/** Adds rules after the installed ones; throws on an invalid rule (nothing is added then). */
		add(rules: FaultRule | FaultRule[]): void;
		/** Removes every rule and empties `injected`. */
		clear(): void;
		/** The rules in order, with remaining counts and hits. */
		list(): ListedFaultRule[];
		/** Every fault injected so far (live array). */
		injected: FaultRecord[];
	};
	/** The next `count` file imports (default 1; 'all' = until turned off; 0 = off) fail midway. */
	failImportsMidway(count?: MidwayRemaining, reason?: string): MidwayStatus;
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
	readonly faults = new FaultInjector();
	/** Bumped by reset(), so that requests straddling a reset are not recorded into the new state. */
	private generation = 0;
	readonly midway = new MidwayFailures();
	readonly gauges = { requests: new InFlightGauge(), connections: new InFlightGauge() };
	/** connections counted in gauges.connections: from their accept until they close or carry a control request */
	private readonly countedSockets = new WeakSet<Socket>();
	private seq = 0;

	constructor(readonly config: SandboxConfig) {
		this.state = createState(config.firstImportId);
		this.faults.add(config.faults);
		this.midway.arm(config.failImportsMidway);
	}

	/** Clears all state, the fault rules (including those installed at start) and midway failures. */
	reset(): void {
		resetState(this.state, this.config.firstImportId);
		this.faults.clear();
		this.midway.arm(0);
		this.seq = 0;
		this.gauges.requests.reset();
		this.gauges.connections.reset();
		this.generation++;
	}

	/** Empties the request log and its gauges; segments, users and imports stay. */
	clearRequests(): void {
		this.state.requests.length = 0;
		this.seq = 0;
		this.gauges.requests.reset();
		this.gauges.connections.reset();
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
			this.uncountConnection(req.socket);
			await handleControl(req, res, url.pathname, {
				dump: () => this.dump(),
				summary: (options) => summariseState(this.state, options, this.gauges),
				reset: () => this.reset(),
				clearRequests: () => this.clearRequests(),
				forceImport: (id, outcome, reason) => this.forceImport(id, outcome, reason),
				faults: this.faults,
				midway: this.midway,
			}, url.search);
			return;
		}
		this.gauges.requests.enter();
		try {
			await this.handleApi(req, res, url);
		} finally {
			this.gauges.requests.leave();
		}
	}

	/** Every accepted connection counts, until it shows itself a control connection (tests' and tools' own). */
	connectionOpened(socket: Socket): void {
		this.countedSockets.add(socket);
		this.gauges.connections.enter();
		socket.once('close', () => this.uncountConnection(socket));
	}

	private uncountConnection(socket: Socket): void {
		if (!this.countedSockets.delete(socket)) return;
		this.gauges.connections.leave();
	}

	/** Auth, routing and the route itself; the body is always drained afterwards. */
	private async runRoute(req: IncomingMessage, path: string, auth: AuthOutcome): Promise<Handled> {
		const method = req.method ?? 'GET';
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
				takeMidwayFailure: () => this.midway.take(),
			});
		} catch (error) {
			result = errorResult(error);
		}
		// Whatever was not read is drained, so clients never see a reset connection.
		await drain(req);
		return { result, correlationId, parsed, envelope: toEnvelope(result, correlationId) };
	}

	private async handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
		const started = process.hrtime.bigint();
		const generation = this.generation;
		const receivedAt = new Date(this.config.now()).toISOString();
		const method = req.method ?? 'GET';
		const path = url.pathname;
		const auth = checkAuth(req.headers.authorization, this.config.tokens);
		// Faults come before auth, like a proxy or rate limiter in front of the API.
		const fault = this.faults.take(method, path);
		const outcome = fault ? await this.injectFault(req, res, path, auth, fault) : await this.answer(req, res, path, auth);
		if (generation !== this.generation) {
			// Received before a reset and finished after it (e.g. a delayed request whose client gave
			// up): it belongs to the state that was reset, so it must not show up in the new one.
			outcome.send();
			return;
		}

		const entry: RecordedRequest = {
			seq: ++this.seq,
			receivedAt,
			method,
			path,
			query: url.search,
			contentType: req.headers['content-type'] ?? null,
			headers: recordableHeaders(req),
			auth,
			...(fault ? { fault: fault.kind } : {}),
			...outcome.parsed,
			correlationId: outcome.correlationId,
			status: outcome.wireStatus,
			response: { status: outcome.envelope.status, correlationId: outcome.correlationId, body: outcome.envelope },
			durationMs: Number(process.hrtime.bigint() - started) / 1e6,
		};
		this.state.requests.push(entry);
		if (fault) {
			this.faults.record({
				at: this.config.now(),
				method,
				path,
				kind: fault.kind,
				...(outcome.wireStatus > 0 ? { status: outcome.wireStatus } : {}),
				applied: outcome.applied,
			});
		}
		// Recorded before answering, so a client that has its answer always finds the request logged.
		outcome.send();
		const faultNote = fault ? ` fault=${fault.kind}${outcome.applied ? ' (handled)' : ''}` : '';
		this.config.log?.(
			`${method} ${path} -> ${outcome.wireStatus === 0 ? 'no response' : outcome.wireStatus}${faultNote} auth=${describeAuth(auth)} correlationId=${outcome.correlationId} (${entry.durationMs.toFixed(1)} ms)`,
		);
	}

	private async answer(req: IncomingMessage, res: ServerResponse, path: string, auth: AuthOutcome): Promise<Outcome> {
		const handled = await this.runRoute(req, path, auth);
		const send = () =>
			sendJson(res, handled.result.status, handled.envelope, {
				'X-Correlation-Id': handled.correlationId,
				...(handled.result.headers ?? {}),
			});
		return { ...handled, wireStatus: handled.result.status, applied: true, send };
	}

	private async injectFault(
		req: IncomingMessage,
		res: ServerResponse,
		path: string,
		auth: AuthOutcome,
		rule: FaultRule,
	): Promise<Outcome> {
		if (rule.kind === 'delay') {
			const stayed = await waitUnlessClientLeaves(res, rule.delayMs ?? 0);
			if (stayed) return this.answer(req, res, path, auth);
			// The client gave up during the delay: the request is not handled.
			const correlationId = randomUUID();
			const envelope = describedFault(0, correlationId, `client disconnected during an injected delay of ${rule.delayMs} ms; not handled`);
			return { correlationId, parsed: {}, envelope, wireStatus: 0, applied: false, send: () => undefined };
		}
		const handles = rule.afterApply === true || rule.kind === 'trickle' || rule.kind === 'rewrite';
		const handled = handles ? await this.runRoute(req, path, auth) : null;
		const correlationId = handled?.correlationId ?? randomUUID();
		const parsed = handled?.parsed ?? (await recordBodyUnhandled(req, this.config.maxJsonBodyBytes));
		// trickle sends the handled answer's status; rewrite its own or the handled one
		const wireStatus = faultStatus(rule) ?? (rule.kind === 'drop' ? 0 : (handled?.result.status ?? 0));
		const emptySuccess = toEnvelope({ status: 200, messages: [], errors: [] }, correlationId);
		const send = () => sendFault(res, rule, correlationId, handled?.envelope ?? emptySuccess);
		const envelope =
			handled?.envelope ??
			(rule.kind === 'status'
				? faultEnvelope(rule, wireStatus, correlationId)
				: describedFault(wireStatus, correlationId, `injected fault "${rule.kind}"; not handled`));
		return { correlationId, parsed, envelope, wireStatus, applied: handled !== null, send };
	}
}

interface Handled {
	result: ApiResult;
	correlationId: string;
	parsed: RouteContext['record'];
	envelope: Envelope;
}

interface Outcome {
	correlationId: string;
	parsed: RouteContext['record'];
	/** The sandbox's own answer (see RecordedRequest.response). */
	envelope: Envelope;
	/** What the client received; 0 = no response. */
	wireStatus: number;
	applied: boolean;
	/** Puts the answer (or the fault) on the wire. */
	send(): void;
}

function describedFault(status: number, correlationId: string, description: string): Envelope {
	return { status, correlationId, messages: [], errors: [`Sandbox: ${description}`] };
}

/** Resolves true after `ms`, or false as soon as the client closes the connection. */
function waitUnlessClientLeaves(res: ServerResponse, ms: number): Promise<boolean> {
	return new Promise((resolve) => {
		const onClose = () => {
			clearTimeout(timer);
			resolve(false);
		};
		const timer = setTimeout(() => {
			res.off('close', onClose);
			resolve(true);
		}, ms);
		res.once('close', onClose);
	});
}

/** A faulted, unhandled request still has its JSON body recorded, so tests can see what was sent. */
async function recordBodyUnhandled(req: IncomingMessage, limit: number): Promise<RouteContext['record']> {
	if (bodyKind(req.headers['content-type']) !== 'json') {
		await drain(req);
		return {};
	}
	const parsed = parseJsonBody(await readBody(req, limit), limit);
	return parsed.ok ? { body: parsed.body } : { rawBody: parsed.rawText };
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
	server.on('connection', (socket: Socket) => sandbox.connectionOpened(socket));

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
		faults: {
			add: (rules) => sandbox.faults.add(rules),
			clear: () => sandbox.faults.clear(),
			list: () => sandbox.faults.list(),
			injected: sandbox.faults.injected,
		},
		failImportsMidway: (count = 1, reason) => {
			sandbox.midway.arm(count, reason);
			return sandbox.midway.status();
		},
		close: () =>
			new Promise<void>((resolve, reject) => {
				server.close((error) => (error ? reject(error) : resolve()));
				server.closeAllConnections();
			}),
	};
}
