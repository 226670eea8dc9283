/**
 * Control endpoints for fault injection (no auth, plain JSON, never faulted themselves):
 *
 *   GET    /__sandbox/faults               {rules, injected, failImportsMidway}
 *   POST   /__sandbox/faults               body {"rules": [...]} or one rule; adds them (400 if any is invalid)
 *   DELETE /__sandbox/faults               removes every rule and empties the injected log
 *   POST   /__sandbox/imports/fail-midway  body {"count"?: N | "all" (default 1; 0 = off), "reason"?: "..."}
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../body';
import { sendJson } from '../envelope';
import { FaultRuleError, type FaultInjector } from '../faults';
import type { MidwayFailures, MidwayRemaining } from '../midwayFailures';

const MAX_CONTROL_BODY = 1024 * 1024;

type Parsed = { ok: true; body: unknown } | { ok: false; error: string };

/** Any JSON value (an empty body is `{}`). */
async function readControlBody(req: IncomingMessage): Promise<Parsed> {
	const raw = await readBody(req, MAX_CONTROL_BODY);
	if (raw.tooLarge) return { ok: false, error: `Request body too large: maximum is ${MAX_CONTROL_BODY} bytes` };
	const text = raw.bytes.toString('utf8');
	if (text.trim() === '') return { ok: true, body: {} };
	try {
		return { ok: true, body: JSON.parse(text) };
	} catch (error) {
		return { ok: false, error: `Invalid JSON body: ${error instanceof Error ? error.message : String(error)}` };
	}
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{"rules": [...]}`, a bare array of rules, or one rule. */
function rulesOf(body: unknown): unknown {
	return isObject(body) && 'rules' in body ? body.rules : body;
}

function badRequest(res: ServerResponse, error: string): void {
	sendJson(res, 400, { ok: false, error });
}

export async function handleFaultsControl(
	req: IncomingMessage,
	res: ServerResponse,
	faults: FaultInjector,
	midway: MidwayFailures,
): Promise<void> {
	const method = req.method ?? 'GET';
	if (method === 'GET') {
		req.resume();
		sendJson(res, 200, { rules: faults.list(), injected: faults.injected, failImportsMidway: midway.status() });
		return;
	}
	if (method === 'DELETE') {
		req.resume();
		faults.clear();
		sendJson(res, 200, { ok: true });
		return;
	}
	if (method !== 'POST') {
		req.resume();
		sendJson(res, 405, { ok: false, error: 'Use GET, POST or DELETE for /__sandbox/faults' }, { Allow: 'GET, POST, DELETE' });
		return;
	}
	const parsed = await readControlBody(req);
	if (!parsed.ok) return badRequest(res, parsed.error);
	const rules = rulesOf(parsed.body);
	if (isObject(parsed.body) && 'rules' in parsed.body && !Array.isArray(rules)) {
		return badRequest(res, '"rules" must be an array of fault rules');
	}
	try {
		faults.add(rules as never);
	} catch (error) {
		if (error instanceof FaultRuleError) return badRequest(res, error.message);
		throw error;
	}
	sendJson(res, 200, { ok: true, rules: faults.list() });
}

function parseCount(value: unknown): MidwayRemaining | null {
	if (value === undefined) return 1;
	if (value === 'all' || value === true) return 'all';
	if (value === false) return 0;
	return Number.isInteger(value) && (value as number) >= 0 ? (value as number) : null;
}

export async function handleMidwayControl(req: IncomingMessage, res: ServerResponse, midway: MidwayFailures): Promise<void> {
	const parsed = await readControlBody(req);
	if (!parsed.ok) return badRequest(res, parsed.error);
	if (!isObject(parsed.body)) return badRequest(res, 'body must be a JSON object: {"count"?: N, "reason"?: "..."}');
	const count = parseCount(parsed.body.count);
	if (count === null) return badRequest(res, 'count must be a non-negative integer, "all", true or false');
	const reason = parsed.body.reason;
	if (reason !== undefined && (typeof reason !== 'string' || reason.trim() === '')) {
		return badRequest(res, 'reason must be a non-empty string');
	}
	midway.arm(count, reason as string | undefined);
	sendJson(res, 200, { ok: true, failImportsMidway: midway.status() });
}
