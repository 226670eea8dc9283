/** The FanPass sandbox (sandbox/cli.ts) as a separate process on a free port, with a client for its control endpoints. */
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { freePort, killGroup, ROOT, sleep, spawnDetached } from './processes';

/** The sandbox's documented dev token: the only token the n8n runtime tools ever show. */
export const SANDBOX_TOKEN = 'sandbox-token';

export interface SandboxSegment {
	title: string;
	tag: string;
	sourceType: number;
	notes?: string | null;
	userIds: string[];
	mode: string;
	version: number;
	lastImportId?: number | null;
	importErrors?: string[];
}
export interface SandboxUser {
	user_properties: Record<string, unknown>;
	custom: Record<string, unknown>;
}
export interface SandboxRequest {
	method: string;
	path: string;
	status: number;
	auth: { present: boolean; valid: boolean };
	body?: unknown;
	multipart?: { fields: Record<string, string>; file?: { fileName: string; size: number } };
}
export interface SandboxImport {
	import_status?: { state: string; total_users: number; done: number };
	[key: string]: unknown;
}
export interface SandboxState {
	segments: Record<string, SandboxSegment>;
	users: Record<string, SandboxUser>;
	imports: Record<string, SandboxImport>;
	requests: SandboxRequest[];
}

/** Maps may be serialised as objects or as [key, value] pairs: accept both. */
function asRecord<T>(value: unknown): Record<string, T> {
	if (Array.isArray(value)) return Object.fromEntries(value as Array<[string, T]>);
	return (value ?? {}) as Record<string, T>;
}

export class SandboxProcess {
	constructor(
		readonly url: string,
		readonly child: ChildProcess,
		/** the sandbox's own log lines */
		readonly log: string[],
	) {}

	async state(): Promise<SandboxState> {
		const response = await fetch(`${this.url}/__sandbox/state`);
		const raw = (await response.json()) as Record<string, unknown>;
		return {
			segments: asRecord<SandboxSegment>(raw.segments),
			users: asRecord<SandboxUser>(raw.users),
			imports: asRecord<SandboxImport>(raw.imports),
			requests: (raw.requests ?? []) as SandboxRequest[],
		};
	}

	/** GET /__sandbox/summary: counts, timings and member digests (sandbox/summary.ts); users too when asked. */
	async summary<T = Record<string, unknown>>(options: { users?: boolean } = {}): Promise<T> {
		const response = await fetch(`${this.url}/__sandbox/summary${options.users ? '?users=1' : ''}`);
		if (!response.ok) throw new Error(`sandbox summary answered ${response.status}`);
		return (await response.json()) as T;
	}

	/** POST /__sandbox/faults: adds fault rules (sandbox/faults.ts); reset() removes them. */
	async addFaults(rules: unknown[]): Promise<void> {
		await this.control('faults', { rules });
	}

	async reset(): Promise<void> {
		await this.control('reset');
	}

	/** Empties the sandbox's request log, keeping its segments and users (the state a next run starts from). */
	async clearRequests(): Promise<void> {
		await this.control('requests/clear');
	}

	async failImport(id: number | string, reason?: string): Promise<void> {
		await this.control(`imports/${id}/fail`, reason === undefined ? undefined : { reason });
	}

	async completeImport(id: number | string): Promise<void> {
		await this.control(`imports/${id}/complete`);
	}

	async stop(): Promise<void> {
		await killGroup(this.child);
	}

	private async control(what: string, body?: unknown): Promise<void> {
		const response = await fetch(`${this.url}/__sandbox/${what}`, {
			method: 'POST',
			headers: body === undefined ? undefined : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		if (!response.ok) throw new Error(`sandbox ${what} answered ${response.status}`);
	}
}

export interface SandboxOptions {
	/** default: a free port */
	port?: number;
	/** accepted tokens, default [SANDBOX_TOKEN] */
	tokens?: string[];
	importDurationMs?: number;
}

/** Starts `tsx sandbox/cli.ts` and waits until /__sandbox/health answers. */
export async function startSandboxProcess(options: SandboxOptions = {}): Promise<SandboxProcess> {
	const port = options.port ?? (await freePort());
	const child = spawnDetached(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['sandbox/cli.ts'], {
		env: {
			...process.env,
			FANPASS_SANDBOX_PORT: String(port),
			FANPASS_SANDBOX_TOKENS: (options.tokens ?? [SANDBOX_TOKEN]).join(','),
			FANPASS_SANDBOX_IMPORT_DURATION_MS: String(options.importDurationMs ?? 1500),
		},
	});
	const log: string[] = [];
	const collect = (chunk: Buffer) => log.push(...chunk.toString().split('\n').filter(Boolean));
	child.stdout?.on('data', collect);
	child.stderr?.on('data', collect);
	const url = `http://127.0.0.1:${port}`;
	for (let attempt = 0; attempt < 300; attempt++) {
		if (child.exitCode !== null) throw new Error(`sandbox exited early:\n${log.join('\n')}`);
		try {
			const response = await fetch(`${url}/__sandbox/health`);
			if (response.ok) return new SandboxProcess(url, child, log);
		} catch {
			/* not listening yet */
		}
		await sleep(100);
	}
	await killGroup(child);
	throw new Error(`sandbox did not answer on ${url}:\n${log.join('\n')}`);
}
