/**
 * `n8n start` headless on 127.0.0.1, with the user folder's community packages; sets up the instance owner
 * through the REST API (or logs in when the folder already has one) and keeps the session cookie.
 * Works with n8n 2.x and 1.x (both answer REST calls as { data: ... }).
 */
import type { ChildProcess } from 'node:child_process';
import type { N8nInstall } from './n8nInstall';
import { n8nEnv } from './n8nEnv';
import { freePort, killGroup, sleep, spawnDetached } from './processes';

export interface Owner {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

/** For scratch instances only: the n8n runtime tools never start n8n outside 127.0.0.1. */
export const DEFAULT_OWNER: Owner = { email: 'owner@fanpass.test', password: 'FanPass-e2e-0wner', firstName: 'FanPass', lastName: 'Owner' };

export class RestError extends Error {
	constructor(
		readonly method: string,
		readonly path: string,
		readonly status: number,
		readonly body: unknown,
	) {
		super(`${method} ${path} answered ${status}: ${JSON.stringify(body).slice(0, 500)}`);
	}
}

export interface RestResponse {
	status: number;
	body: unknown;
	setCookies: string[];
}

export interface N8nServer {
	url: string;
	port: number;
	/** A REST call with the owner's session; path '/rest/…' (or without the '/rest' prefix). Returns the parsed JSON body; throws RestError when not 2xx. */
	rest: <T = unknown>(method: string, path: string, body?: unknown) => Promise<T>;
	/** Like rest(), but returns status and body without throwing. */
	restRaw: (method: string, path: string, body?: unknown) => Promise<RestResponse>;
	cookie: string;
	owner: Owner;
	version: string;
	/** n8n's own output lines */
	log: string[];
	/** time from spawn until logged in */
	startupMs: number;
	/** the `n8n start` process (leader of its process group) */
	child: ChildProcess;
	stop: () => Promise<void>;
}

export interface N8nServerOptions {
	install: N8nInstall;
	userFolder: string;
	/** default: a free port */
	port?: number;
	owner?: Owner;
	env?: NodeJS.ProcessEnv;
	startupTimeoutMs?: number;
	/** echo n8n's output */
	verbose?: boolean;
}

async function call(url: string, method: string, path: string, body: unknown, cookie: string | undefined): Promise<RestResponse> {
	const full = path.startsWith('/rest/') || path === '/rest' || path.startsWith('/healthz') ? path : `/rest${path.startsWith('/') ? '' : '/'}${path}`;
	const response = await fetch(`${url}${full}`, {
		method,
		headers: {
			accept: 'application/json',
			...(body === undefined ? {} : { 'content-type': 'application/json' }),
			...(cookie ? { cookie } : {}),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	let parsed: unknown = text;
	try {
		parsed = text ? JSON.parse(text) : undefined;
	} catch {
		/* not JSON: keep the text */
	}
	return { status: response.status, body: parsed, setCookies: response.headers.getSetCookie() };
}

function authCookie(setCookies: string[]): string | undefined {
	const auth = setCookies.map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
	return auth && auth !== 'n8n-auth=' ? auth : undefined;
}

export async function startN8nServer(options: N8nServerOptions): Promise<N8nServer> {
	const t0 = Date.now();
	const port = options.port ?? (await freePort());
	const owner = options.owner ?? DEFAULT_OWNER;
	const env = n8nEnv(options.install, options.userFolder, await freePort(), {
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `http://localhost:${port}`,
		N8N_SECURE_COOKIE: 'false',
		...options.env,
	});
	const child: ChildProcess = spawnDetached(options.install.n8nBin, ['start'], { env });
	const log: string[] = [];
	const collect = (chunk: Buffer) => {
		const lines = chunk.toString().split('\n').filter(Boolean);
		log.push(...lines);
		if (options.verbose) for (const line of lines) console.log(`[n8n] ${line}`);
	};
	child.stdout?.on('data', collect);
	child.stderr?.on('data', collect);
	const url = `http://127.0.0.1:${port}`;
	const stop = () => killGroup(child, 10_000);
	const fail = async (why: string): Promise<never> => {
		await stop();
		throw new Error(`n8n ${options.install.version} server: ${why}\n--- n8n log (last 40 lines) ---\n${log.slice(-40).join('\n')}`);
	};

	// /healthz answers as soon as the HTTP server listens; while 1.x migrates its DB, every path answers
	// 200 "n8n is starting up. Please wait" (text): ready means /rest/settings answers JSON
	const deadline = Date.now() + (options.startupTimeoutMs ?? 120_000);
	for (;;) {
		if (child.exitCode !== null || child.signalCode !== null) await fail(`exited early (${child.exitCode ?? child.signalCode})`);
		if (Date.now() > deadline) await fail('did not become ready in time');
		try {
			const health = await fetch(`${url}/healthz`);
			if (health.ok) {
				const settings = await call(url, 'GET', '/rest/settings', undefined, undefined);
				if (settings.status === 200 && typeof settings.body === 'object' && settings.body !== null) break;
			}
		} catch {
			/* not listening yet */
		}
		await sleep(250);
	}

	// owner: set up on a fresh instance, otherwise log in
	let cookie: string | undefined;
	const setup = await call(url, 'POST', '/rest/owner/setup', owner, undefined);
	if (setup.status === 200) cookie = authCookie(setup.setCookies);
	if (!cookie) {
		// 2.x (and late 1.x) take emailOrLdapLoginId, older 1.x email: send both, unknown keys are dropped
		const login = await call(url, 'POST', '/rest/login', { emailOrLdapLoginId: owner.email, email: owner.email, password: owner.password }, undefined);
		cookie = authCookie(login.setCookies);
		if (!cookie) await fail(`owner setup answered ${setup.status} and login answered ${login.status}: ${JSON.stringify(login.body).slice(0, 300)}`);
	}
	const session = cookie as string;

	const restRaw = (method: string, path: string, body?: unknown) => call(url, method, path, body, session);
	const rest = async <T = unknown>(method: string, path: string, body?: unknown): Promise<T> => {
		const response = await restRaw(method, path, body);
		if (response.status < 200 || response.status >= 300) throw new RestError(method, path, response.status, response.body);
		return response.body as T;
	};
	return { url, port, rest, restRaw, cookie: session, owner, version: options.install.version, log, startupMs: Date.now() - t0, child, stop };
}

/** REST bodies are { data: ... } in n8n 1.x and 2.x; tolerate a bare body too. */
export function unwrap<T>(body: unknown): T {
	return (body && typeof body === 'object' && 'data' in body ? (body as { data: T }).data : body) as T;
}
