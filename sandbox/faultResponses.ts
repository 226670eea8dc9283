/**
 * What an injected fault puts on the wire: an error envelope, a proxy's HTML page, an empty or
 * a cut-off JSON body, or no response at all (the socket is destroyed).
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
	return { status, correlationId, messages: [], errors: [message] };
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
	const status = faultStatus(rule) as number;
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
