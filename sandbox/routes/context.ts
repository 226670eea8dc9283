/**
 * What every API route receives, and reading its JSON body.
 */
import type { IncomingMessage } from 'node:http';
import { bodyKind, parseJsonBody, readBody, unsupportedContentType, drain } from '../body';
import type { SandboxConfig } from '../config';
import type { ApiResult } from '../envelope';
import type { RecordedRequest, SandboxState } from '../state';

export interface RouteContext {
	req: IncomingMessage;
	config: SandboxConfig;
	state: SandboxState;
	/** The request's log entry, for the route to attach its parsed body. */
	record: Pick<RecordedRequest, 'body' | 'rawBody' | 'multipart'>;
	/** Replaces the response correlationId (multipart `correlation_id`). */
	setCorrelationId(id: string): void;
	nowMs(): number;
	/** For a new file import: the reason it will fail midway, or null (see midwayFailures.ts). */
	takeMidwayFailure(): string | null;
}

export type Route = (ctx: RouteContext) => Promise<ApiResult>;

export function nowIso(ctx: RouteContext): string {
	return new Date(ctx.nowMs()).toISOString();
}

/** Reads a JSON-object body (empty body = `{}`), recording it on the request log. */
export async function readJsonBody(ctx: RouteContext, allowMultipart = false): Promise<Record<string, unknown>> {
	const contentType = ctx.req.headers['content-type'];
	if (bodyKind(contentType) !== 'json') {
		await drain(ctx.req);
		throw unsupportedContentType(contentType, allowMultipart);
	}
	const parsed = parseJsonBody(await readBody(ctx.req, ctx.config.maxJsonBodyBytes), ctx.config.maxJsonBodyBytes);
	if (!parsed.ok) {
		ctx.record.rawBody = parsed.rawText;
		throw parsed.error;
	}
	ctx.record.body = parsed.body;
	return parsed.body;
}
