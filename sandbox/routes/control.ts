/**
 * Sandbox control endpoints under /__sandbox/ (no auth, plain JSON, not the FanPass envelope,
 * not recorded in `state.requests`). For end-to-end tests that run in another process.
 *
 *   GET  /__sandbox/health                 {ok: true}
 *   GET  /__sandbox/state                  state dump (file bytes omitted)
 *   GET  /__sandbox/summary[?users=1]      counts, timings and member digests (summary.ts)
 *   POST /__sandbox/reset                  clears all state
 *   POST /__sandbox/imports/:id/fail       body optional {"reason": "..."}; the import fails now
 *   POST /__sandbox/imports/:id/complete   the import completes now
 *   GET|POST|DELETE /__sandbox/faults      fault rules (routes/controlFaults.ts)
 *   POST /__sandbox/imports/fail-midway    the next N file imports fail midway
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJsonBody, readBody } from '../body';
import { sendJson } from '../envelope';
import type { FaultInjector } from '../faults';
import type { ImportStatus } from '../imports';
import type { MidwayFailures } from '../midwayFailures';
import { handleFaultsControl, handleMidwayControl } from './controlFaults';

export const CONTROL_PREFIX = '/__sandbox';

export interface ControlActions {
	dump(): unknown;
	summary(options: { users: boolean }): unknown;
	reset(): void;
	/** Empties the request log and its gauges, keeping segments, users and imports (a "next night"). */
	clearRequests(): void;
	forceImport(id: number, outcome: 'failed' | 'completed', reason: string | null): ImportStatus | null;
	faults: FaultInjector;
	midway: MidwayFailures;
}

export function isControlPath(path: string): boolean {
	return path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`);
}

async function readReason(req: IncomingMessage): Promise<string | null> {
	const parsed = parseJsonBody(await readBody(req, 64 * 1024), 64 * 1024);
	if (!parsed.ok) return null;
	return typeof parsed.body.reason === 'string' && parsed.body.reason.trim() !== '' ? parsed.body.reason : null;
}

export async function handleControl(
	req: IncomingMessage,
	res: ServerResponse,
	path: string,
	actions: ControlActions,
	query = '',
): Promise<void> {
	const method = req.method ?? 'GET';
	const route = path.slice(CONTROL_PREFIX.length);
	const expect = (allowed: string): boolean => {
		if (method === allowed) return true;
		req.resume();
		sendJson(res, 405, { ok: false, error: `Use ${allowed} for ${path}` }, { Allow: allowed });
		return false;
	};

	if (route === '/health') {
		if (expect('GET')) sendJson(res, 200, { ok: true });
		return;
	}
	if (route === '/state') {
		if (expect('GET')) sendJson(res, 200, actions.dump());
		return;
	}
	if (route === '/summary') {
		if (expect('GET')) sendJson(res, 200, actions.summary({ users: /(^|[?&])users=(1|true)(&|$)/.test(query) }));
		return;
	}
	if (route === '/reset') {
		if (!expect('POST')) return;
		req.resume();
		actions.reset();
		sendJson(res, 200, { ok: true });
		return;
	}
	if (route === '/requests/clear') {
		if (!expect('POST')) return;
		req.resume();
		actions.clearRequests();
		sendJson(res, 200, { ok: true });
		return;
	}
	if (route === '/faults') {
		await handleFaultsControl(req, res, actions.faults, actions.midway);
		return;
	}
	if (route === '/imports/fail-midway') {
		if (expect('POST')) await handleMidwayControl(req, res, actions.midway);
		return;
	}
	const hook = /^\/imports\/(\d+)\/(fail|complete)$/.exec(route);
	if (hook) {
		if (!expect('POST')) return;
		const id = Number(hook[1]);
		const outcome = hook[2] === 'fail' ? 'failed' : 'completed';
		const reason = outcome === 'failed' ? await readReason(req) : (req.resume(), null);
		const status = actions.forceImport(id, outcome, reason);
		if (status === null) sendJson(res, 404, { ok: false, error: `Segment import ${id} not found` });
		else sendJson(res, 200, { ok: true, firebase_imported_segment_id: id, import_status: status });
		return;
	}
	req.resume();
	sendJson(res, 404, { ok: false, error: `Unknown sandbox control endpoint ${method} ${path}` });
}
