import { NodeApiError, type IDataObject, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';

import { previewBody, type FanPassEnvelope } from './envelope';
import type { ResponseTooLargeError } from './responseBody';

const UNAUTHORIZED_HINT =
	'The FanPass API token is missing or invalid. Open the FanPass credential used by this node, paste a current token from the FanReach Portal, and click "Test" to check it.';

/** What the caller knows about the request when it fails. */
export interface FailedRequest {
	baseUrl: string;
	endpoint: string;
	itemIndex: number;
	/** Attempts made, and how long they took, when the request was retried. */
	attempts: number;
	elapsedMs: number;
	/** Why retrying stopped early (e.g. the retry budget), when it did. */
	gaveUpBecause?: string;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function retryNote(request: FailedRequest): string {
	const attempts = request.attempts > 1 ? ` after ${request.attempts} attempts over ${seconds(request.elapsedMs)}` : '';
	return `${attempts}${request.gaveUpBecause ? `; ${request.gaveUpBecause}` : ''}`;
}

/** How the first words read for a status that is FanPass's (or its gateway's) trouble, not the request's. */
function transientLabel(statusCode: number): string | undefined {
	if (statusCode === 429) return 'FanPass kept rate-limiting the request';
	if (statusCode >= 500) return statusCode === 500 ? 'FanPass failed' : 'FanPass was unavailable';
	return undefined;
}

const RETRY_ADVICE =
	'Nothing was lost silently: this item was not delivered. Run it again later, or allow more retries or a longer Max Retry Wait in the node\'s Request Options.';

/** FanPass's error texts for a message: the first few, and how many more there are. */
function errorText(envelope: FanPassEnvelope, statusCode: number): string {
	const shown = envelope.errors.slice(0, 3).join('; ');
	const more = envelope.errorCount - Math.min(3, envelope.errorCount);
	return shown === '' ? `HTTP ${statusCode}` : more > 0 ? `${shown}; and ${more} more (see the error details)` : shown;
}

/**
 * FanPass answered with its envelope and a status that is not a success: a non-2xx HTTP status,
 * or (when `wireStatus` differs) a 2xx whose envelope says `statusCode`.
 */
export function apiError(
	context: IExecuteFunctions,
	request: FailedRequest,
	statusCode: number,
	envelope: FanPassEnvelope,
	wireStatus = statusCode,
): NodeApiError {
	const fanPassText = errorText(envelope, statusCode);
	const trace = envelope.correlationId ? ` (correlationId ${envelope.correlationId})` : '';
	const inside = wireStatus !== statusCode;
	const statusLabel = inside ? `status ${statusCode} in an HTTP ${wireStatus} answer` : `HTTP ${statusCode}`;
	const where = inside
		? `FanPass answered ${request.endpoint} with HTTP ${wireStatus}, but its answer says status ${statusCode}, so the request is not treated as a success`
		: `HTTP ${statusCode} from ${request.endpoint}`;
	let message = `FanPass rejected the request: ${fanPassText}`;
	let description = `${where}${trace}. Give the correlationId to FanReach support to trace it.`;
	if (statusCode === 401) {
		message = UNAUTHORIZED_HINT;
		description = `FanPass said: ${fanPassText}${trace}${inside ? ` (${statusLabel})` : ''}`;
	} else if (transientLabel(statusCode)) {
		message = `${transientLabel(statusCode)} (${statusLabel})${retryNote(request)}`;
		description = `FanPass said: ${fanPassText}${trace}. ${RETRY_ADVICE}`;
	} else if (inside) {
		message = `FanPass rejected the request (${statusLabel}): ${fanPassText}`;
	}
	const error = new NodeApiError(
		context.getNode(),
		{
			httpCode: String(statusCode),
			correlationId: envelope.correlationId,
			errors: envelope.errors,
			messages: envelope.messages,
		} as JsonObject,
		{ message, description, httpCode: String(statusCode), itemIndex: request.itemIndex },
	);
	error.context.correlationId = envelope.correlationId;
	error.context.fanPassErrors = envelope.errors;
	error.context.attempts = request.attempts;
	if (inside) error.context.httpStatus = wireStatus;
	return error;
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** FanPass's answer was larger than the node reads: not retried, since the request may have been applied. */
export function tooLargeError(
	context: IExecuteFunctions,
	request: FailedRequest,
	statusCode: number,
	headers: IDataObject,
	cause: ResponseTooLargeError,
): NodeApiError {
	const correlationId = typeof headers['x-correlation-id'] === 'string' ? headers['x-correlation-id'].slice(0, 100) : '';
	const size = cause.declaredBytes !== undefined ? ` (${megabytes(cause.declaredBytes)} announced)` : '';
	const error = new NodeApiError(context.getNode(), { httpCode: String(statusCode), correlationId } as JsonObject, {
		message: `FanPass's answer to ${request.endpoint} was larger than ${megabytes(cause.limitBytes)}${size}, so the node stopped reading it (HTTP ${statusCode})`,
		description: `FanPass may have applied the request: check in the FanReach Portal before sending it again${correlationId ? `, and give the correlationId ${correlationId} to FanReach support` : ''}.`,
		httpCode: String(statusCode),
		itemIndex: request.itemIndex,
	});
	error.context.correlationId = correlationId;
	error.context.attempts = request.attempts;
	return error;
}

/** FanPass (or something in front of it) answered with a body that is not FanPass's JSON. */
export function notEnvelopeError(
	context: IExecuteFunctions,
	request: FailedRequest,
	statusCode: number,
	statusMessage: string | undefined,
	body: unknown,
): NodeApiError {
	const error = new NodeApiError(context.getNode(), { statusCode, body: previewBody(body) } as JsonObject, {
		message: `FanPass answered ${request.endpoint} with HTTP ${statusCode}${statusMessage ? ` ${statusMessage}` : ''} and a body that is not FanPass's JSON${retryNote(request)}`,
		description: `Check the API Host in the FanPass credential (${request.baseUrl}). The body began: ${previewBody(body)}`,
		httpCode: String(statusCode),
		itemIndex: request.itemIndex,
	});
	error.context.attempts = request.attempts;
	return error;
}

/** The request never got an answer: only the code and message travel on, never the request's headers. */
export function networkError(
	context: IExecuteFunctions,
	request: FailedRequest,
	code: string,
	detail: string,
	timeoutMs: number,
): NodeApiError {
	const timedOut = /timeout|ETIMEDOUT|ECONNABORTED/i.test(`${code} ${detail}`);
	const what = timedOut
		? `FanPass did not answer within ${seconds(timeoutMs)} (the Timeout in the node's Request Options)`
		: `Could not reach FanPass at ${request.baseUrl}`;
	// n8n rewrites a message that names a network code, so the code goes in the description.
	const error = new NodeApiError(context.getNode(), { networkErrorCode: code } as JsonObject, {
		message: `${what}${retryNote(request)}`,
		description: `${code}: ${detail}. ${timedOut ? 'The Timeout covers the whole answer, from sending the request to the last byte of the reply; raise it if FanPass is just slow. ' : ''}Check the API Host in the FanPass credential and that the server is reachable from n8n.${request.attempts > 1 ? ` ${RETRY_ADVICE}` : ''}`,
		itemIndex: request.itemIndex,
	});
	error.context.attempts = request.attempts;
	return error;
}
