import { NodeApiError, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';

import { previewBody, type FanPassEnvelope } from './envelope';

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

/** FanPass answered with its envelope and a non-2xx status. */
export function apiError(
	context: IExecuteFunctions,
	request: FailedRequest,
	statusCode: number,
	envelope: FanPassEnvelope,
): NodeApiError {
	const fanPassText = envelope.errors.join('; ') || `HTTP ${statusCode}`;
	const trace = envelope.correlationId ? ` (correlationId ${envelope.correlationId})` : '';
	let message = `FanPass rejected the request: ${fanPassText}`;
	let description = `HTTP ${statusCode} from ${request.endpoint}${trace}. Give the correlationId to FanReach support to trace it.`;
	if (statusCode === 401) {
		message = UNAUTHORIZED_HINT;
		description = `FanPass said: ${fanPassText}${trace}`;
	} else if (transientLabel(statusCode)) {
		message = `${transientLabel(statusCode)} (HTTP ${statusCode})${retryNote(request)}`;
		description = `FanPass said: ${fanPassText}${trace}. ${RETRY_ADVICE}`;
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
		description: `${code}: ${detail}. Check the API Host in the FanPass credential and that the server is reachable from n8n.${request.attempts > 1 ? ` ${RETRY_ADVICE}` : ''}`,
		itemIndex: request.itemIndex,
	});
	error.context.attempts = request.attempts;
	return error;
}
