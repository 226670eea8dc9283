/**
 * What an injected fault puts on the wire: an error envelope, a proxy's HTML page, an empty or
 * a cut-off JSON body, no response at all (the socket is destroyed), a body sent a byte at a
 * time, or the handled request's envelope rewritten.
 */
import { STATUS_CODES, type ServerResponse } from 'node:http';
import { sendJson, type Envelope } from './envelope';
import { DEFAULT_FAULT_STATUS, type FaultRule } from './faults';

export function faultStatus(rule: FaultRule): number | undefined {
	return rule.status ?? DEFAULT_FAULT_STATUS[rule.kind];
}

function reasonPhrase(status: number): string {
	return STATUS_CODES[status] ?? 'Error';
}

/** The envelope a 'status' fault answers with. */
export function faultEnvelope(rule: FaultRule, status: number, correlationId: string): Envelope {
	const message = rule.message ?? `${reasonPhrase(status)} (fault injected by the FanPass sandbox)`;
	return { status: rule.envelopeStatus ?? status, correlationId, messages: [], errors: [message] };
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

function mergeDeep(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
	const merged: Record<string, unknown> = { ...target };
	for (const [key, value] of Object.entries(patch)) {
		const current = merged[key];
		merged[key] = isPlainObject(value) && isPlainObject(current) ? mergeDeep(current, value) : value;
	}
	return merged;
}

/** A generated string of exactly `length` characters, numbered so that every one is distinct. */
function padString(kind: string, index: number, total: number, length: number): string {
	const head = `${kind} ${index + 1} of ${total} (padding injected by the FanPass sandbox) `;
	return head.length >= length ? head.slice(0, length) : head + 'x'.repeat(length - head.length);
}

/** The envelope a 'rewrite' fault answers with: the handled request's, with the rule's changes. */
export function rewriteEnvelope(rule: FaultRule, envelope: Envelope): Envelope {
	let rewritten: Record<string, unknown> = mergeDeep(envelope, rule.set ?? {});
	for (const key of rule.unset ?? []) delete rewritten[key];
	for (const key of rule.stringify ?? []) {
		if (rewritten[key] !== undefined && rewritten[key] !== null) rewritten[key] = String(rewritten[key]);
	}
	const pad = rule.pad;
	if (pad) {
		const length = pad.length ?? 100;
		const grow = (field: 'messages' | 'errors', count: number, label: string) => {
			const existing = Array.isArray(rewritten[field]) ? (rewritten[field] as unknown[]) : [];
			const added = Array.from({ length: count }, (_, i) => padString(label, i, count, length));
			rewritten = { ...rewritten, [field]: [...existing, ...added] };
		};
		if (pad.messages) grow('messages', pad.messages, 'Warning: message');
		if (pad.errors) grow('errors', pad.errors, 'error');
	}
	return rewritten as Envelope;
}

function proxyPage(rule: FaultRule, status: number): string {
	const title = `${status} ${reasonPhrase(status)}`;
	const detail = rule.message ?? 'fanpass-sandbox (injected fault)';
	return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>${detail}</center>\r\n</body>\r\n</html>\r\n`;
}

function send(res: ServerResponse, status: number, contentType: string | null, body: string, headers: Record<string, string>): void {
	res.writeHead(status, {
		...(contentType ? { 'Content-Type': contentType } : {}),
		'Content-Length': String(Buffer.byteLength(body)),
		...headers,
	});
	res.end(body);
}

/**
 * Answers with the fault. `envelope` is the JSON a truncated body is cut from (the handled
 * request's own envelope after afterApply, otherwise an empty success envelope).
 */
export function sendFault(
	res: ServerResponse,
	rule: FaultRule,
	correlationId: string,
	envelope: Envelope,
): void {
	if (rule.kind === 'drop') {
		res.socket?.destroy();
		return;
	}
	const status = faultStatus(rule) ?? envelope.status;
	const retryAfter: Record<string, string> = rule.retryAfter ? { 'Retry-After': rule.retryAfter } : {};
	const tracing = { 'X-Correlation-Id': correlationId };
	switch (rule.kind) {
		case 'status':
			sendJson(res, status, faultEnvelope(rule, status, correlationId), { ...tracing, ...retryAfter });
			return;
		case 'html':
			send(res, status, 'text/html; charset=utf-8', proxyPage(rule, status), retryAfter);
			return;
		case 'empty':
			send(res, status, null, '', retryAfter);
			return;
		case 'rewrite': {
			const rewritten = rewriteEnvelope(rule, envelope);
			send(res, rule.status ?? envelope.status, 'application/json; charset=utf-8', JSON.stringify(rewritten), {
				...tracing,
				...retryAfter,
			});
			return;
		}
		case 'trickle':
			trickle(res, rule, envelope.status, JSON.stringify(envelope), tracing);
			return;
		case 'truncated': {
			const full = JSON.stringify({ ...envelope, status });
			send(res, status, 'application/json; charset=utf-8', full.slice(0, Math.floor(full.length / 2)), {
				...tracing,
				...retryAfter,
			});
			return;
		}
		default:
			throw new Error(`fault kind ${rule.kind} has no response of its own`);
	}
}

export const DEFAULT_TRICKLE_INTERVAL_MS = 400;

/**
 * Sends the headers (with the full Content-Length) at once, then `chunkBytes` of the body every
 * `intervalMs`, like a server that is alive but far too slow. Stops when the client leaves.
 */
function trickle(res: ServerResponse, rule: FaultRule, status: number, body: string, headers: Record<string, string>): void {
	const bytes = Buffer.from(body, 'utf8');
	const step = rule.chunkBytes ?? 1;
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': String(bytes.length),
		...headers,
	});
	res.flushHeaders();
	let sent = 0;
	const timer = setInterval(() => {
		if (res.destroyed) return stop();
		const chunk = bytes.subarray(sent, sent + step);
		sent += chunk.length;
		if (sent >= bytes.length) {
			stop();
			res.end(chunk);
		} else res.write(chunk);
	}, rule.intervalMs ?? DEFAULT_TRICKLE_INTERVAL_MS);
	const stop = () => clearInterval(timer);
	res.once('close', stop);
}
