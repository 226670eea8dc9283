import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
} from 'n8n-workflow';

import { sleepUnlessCancelled } from '../helpers/cancellableSleep';
import { asNodeError } from '../helpers/itemErrors';
import { hasUserinfo, USERINFO_MESSAGE } from './baseUrl';
import { parseEnvelope, type FanPassEnvelope } from './envelope';
import { apiError, networkError, notEnvelopeError, tooLargeError, type FailedRequest } from './errors';
import type { MultipartBody } from './multipart';
import { rateGateFor } from './rateGate';
import { discardBody, readBody, type ResponseTooLargeError } from './responseBody';
import {
	checkRequestOptions,
	isRetryableNetworkCode,
	isRetryableStatus,
	parseRetryAfter,
	readRetryPolicy,
	retryDelayMs,
	type RetryPolicy,
} from './retryPolicy';
import { CREDENTIAL_NAME, runCredential } from './runCredential';

export { hasUserinfo, normaliseBaseUrl, redactUserinfo } from './baseUrl';
export { MAX_LISTED, MAX_TEXT_CHARS, type FanPassEnvelope } from './envelope';
export { IMPORT_ID_FIELD, readId, requireField, requireImportId } from './envelopeFields';
export { MAX_RESPONSE_BYTES } from './responseBody';
export { CREDENTIAL_NAME, runCredential } from './runCredential';

export type FanPassEndpoint = '/api/v1/segments' | '/api/v1/update_user' | '/api/v1/segment_import_status';

/** The run's API Host, checked (http(s), no user name or password, https unless local or allowed). */
export async function getBaseUrl(context: IExecuteFunctions): Promise<string> {
	return (await runCredential(context)).baseUrl;
}

export interface FanPassRequest {
	baseUrl: string;
	endpoint: FanPassEndpoint;
	body: IDataObject | MultipartBody;
	/** The first input item this request serves, for the error's item index. */
	itemIndex: number;
	/** Whether repeating it is safe; a dropped connection is retried only then. */
	idempotent?: boolean;
	/** Retries and timeout, when the caller has read them already (see requestPolicy); else read for itemIndex. */
	policy?: RetryPolicy;
}

type Attempt =
	| {
			kind: 'response';
			statusCode: number;
			statusMessage?: string;
			headers: IDataObject;
			body: Buffer;
			envelope: FanPassEnvelope | undefined;
	  }
	| { kind: 'network'; code: string; detail: string }
	| { kind: 'tooLarge'; statusCode: number; headers: IDataObject; error: ResponseTooLargeError };

/**
 * A 429 whose wait is at least this long pauses every request to the same API Host with the same
 * credential in this n8n process (rateGate.ts), in this run and in other executions alike: FanPass is
 * throttling the token, and the other requests would only collect 429s of their own. A shorter wait
 * is served by the rate-limited request alone, so the other batches keep going (measured with
 * 10% random 429s and Retry-After 1: pausing the whole run cut Update User's throughput ~4-fold).
 */
export const RUN_WIDE_PAUSE_MS = 5_000;

/** The node's "Request Options" for an item (retries and timeout); refuses values it cannot use, naming them. */
export function requestPolicy(context: IExecuteFunctions, itemIndex: number): RetryPolicy {
	const options = (context.getNodeParameter('requestOptions', itemIndex, {}) ?? {}) as IDataObject;
	const problems = checkRequestOptions(options);
	if (problems.length > 0) {
		throw new NodeOperationError(context.getNode(), `Item ${itemIndex}: ${problems.join('; ')}`, { itemIndex });
	}
	return readRetryPolicy(options);
}

/**
 * The status that decides what an answer means: FanPass's envelope may say 400 or more inside an
 * HTTP 2xx (e.g. 200 with `{"status": 500, "errors": ["… not stored"]}`), and that is no success.
 */
export function effectiveStatus(statusCode: number, envelope: FanPassEnvelope | undefined): number {
	const success = statusCode >= 200 && statusCode <= 299;
	return success && envelope && envelope.status >= 400 && envelope.status <= 599 ? envelope.status : statusCode;
}

/**
 * Sends one request to FanPass and returns its envelope. Every FanPass call goes through here.
 * 429, 502, 503, 504, connection failures and attempts that pass the Timeout are retried with
 * backoff and jitter (honouring Retry-After) within the node's Request Options; a long 429 also
 * holds back the other requests with the same API Host and credential in this process. An envelope status of 400 or more counts as that status
 * even inside an HTTP 2xx. What is finally not a success becomes a NodeApiError with FanPass's
 * error text, the status and the correlationId, and never the request's headers.
 *
 * A success is returned with FanPass's `errors` (bounded, like `messages`): on a 2xx they are
 * warnings the caller must pass on to the items they concern.
 */
export async function fanPassRequest(
	context: IExecuteFunctions,
	request: FanPassRequest,
): Promise<FanPassEnvelope> {
	if (hasUserinfo(request.baseUrl)) throw new NodeOperationError(context.getNode(), USERINFO_MESSAGE, { itemIndex: request.itemIndex });
	const policy = request.policy ?? requestPolicy(context, request.itemIndex);
	const gate = rateGateFor(request.baseUrl, (await runCredential(context)).decrypted.id, context);
	const started = Date.now();
	const failed = (attempts: number, gaveUpBecause?: string): FailedRequest => ({
		baseUrl: request.baseUrl,
		endpoint: request.endpoint,
		itemIndex: request.itemIndex,
		attempts,
		elapsedMs: Date.now() - started,
		gaveUpBecause,
	});
	let waitedMs = 0;
	for (let attempt = 1; ; attempt++) {
		const held = gate.waitMs();
		if (held > 0) {
			await sleepUnlessCancelled(context, held, () => cancelled(context, request));
			waitedMs += held;
		}
		const outcome = await attemptOnce(context, request, policy);
		const status = outcome.kind === 'response' ? effectiveStatus(outcome.statusCode, outcome.envelope) : 0;
		const retryable =
			outcome.kind === 'network'
				? request.idempotent !== false && isRetryableNetworkCode(outcome.code, outcome.detail)
				: outcome.kind === 'response' && isRetryableStatus(status);
		if (!retryable || policy.maxRetries === 0) return settle(context, outcome, failed(attempt), policy);
		if (attempt > policy.maxRetries) {
			return settle(context, outcome, failed(attempt, `Max Retries is ${policy.maxRetries}`), policy);
		}
		const retryAfterMs = outcome.kind === 'response' ? parseRetryAfter(outcome.headers['retry-after']) : undefined;
		const delay = retryDelayMs(attempt, policy, retryAfterMs);
		if (waitedMs + delay > policy.maxTotalWaitMs) {
			const reason =
				retryAfterMs !== undefined
					? `FanPass asked to wait ${(retryAfterMs / 1000).toFixed(0)} s more (Retry-After), beyond the Max Retry Wait of ${policy.maxTotalWaitMs / 1000} s`
					: `the next wait would pass the Max Retry Wait of ${policy.maxTotalWaitMs / 1000} s`;
			return settle(context, outcome, failed(attempt, reason), policy);
		}
		if (status === 429 && delay >= RUN_WIDE_PAUSE_MS) gate.closeFor(delay);
		context.logger.warn(
			`FanPass ${request.endpoint}: ${outcome.kind === 'network' ? outcome.code : `HTTP ${status}`}; retry ${attempt} of ${policy.maxRetries} in ${(delay / 1000).toFixed(1)} s`,
			{ itemIndex: request.itemIndex },
		);
		await sleepUnlessCancelled(context, delay, () => cancelled(context, request));
		waitedMs += delay;
	}
}

interface StreamedResponse {
	body: unknown;
	statusCode: number;
	statusMessage?: string;
	headers?: IDataObject;
}

/**
 * One attempt, under one deadline for the whole answer: n8n's own `timeout` only notices a
 * connection that goes quiet, so a server that trickles a byte at a time would hold the node for
 * ever. The body is taken as a stream and read here, and abandoned (connection closed) at the
 * deadline, at the size limit, or when the execution is stopped.
 */
async function attemptOnce(context: IExecuteFunctions, request: FanPassRequest, policy: RetryPolicy): Promise<Attempt> {
	const multipart = isMultipart(request.body) ? request.body : undefined;
	const cancel = context.getExecutionCancelSignal();
	const deadline = AbortSignal.timeout(policy.timeoutMs);
	const signal = cancel ? AbortSignal.any([cancel, deadline]) : deadline;
	const options: IHttpRequestOptions = {
		method: 'POST',
		url: `${request.baseUrl}${request.endpoint}`,
		// JSON is serialised here, not by n8n: n8n deep-copies request options and drops keys named
		// __proto__, constructor and prototype on the way, which are ordinary property names to FanPass.
		body: multipart ? multipart.body : JSON.stringify(request.body),
		headers: { 'Content-Type': multipart ? multipart.contentType : 'application/json', Accept: 'application/json' },
		json: false,
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		abortSignal: cancel,
		// n8n's (idle) timeout still guards the connection, e.g. a request abandoned before its headers.
		timeout: policy.timeoutMs,
	};
	try {
		const { decrypted } = await runCredential(context);
		const pending = context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_NAME, options, {
			credentialsDecrypted: decrypted,
		}) as Promise<StreamedResponse>;
		const response = await untilAborted(pending, signal, (late) => discardBody(late.body));
		const headers = response.headers ?? {};
		const declared = Number(headers['content-length']);
		const read = await readBody(response.body, signal, undefined, Number.isFinite(declared) ? declared : undefined);
		if (read.tooLarge) return { kind: 'tooLarge', statusCode: response.statusCode, headers, error: read.tooLarge };
		return {
			kind: 'response',
			statusCode: response.statusCode,
			statusMessage: response.statusMessage,
			headers,
			body: read.bytes,
			envelope: parseEnvelope(read.bytes),
		};
	} catch (error) {
		if (cancel?.aborted) throw cancelled(context, request);
		if (deadline.aborted) {
			return { kind: 'network', code: 'ETIMEDOUT', detail: `no complete answer within the Timeout of ${policy.timeoutMs / 1000} s` };
		}
		if (error instanceof NodeOperationError) throw asNodeError(context, error, request.itemIndex);
		// Statuses are read from the response, so anything thrown here never got FanPass's answer.
		const cause = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
		const code = cause.cause?.code ?? cause.code ?? 'REQUEST_FAILED';
		return { kind: 'network', code, detail: cause.cause?.message ?? cause.message ?? code };
	}
}

/** The promise's outcome, or signal.reason as soon as the signal aborts; a late value goes to `late`. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal, late: (value: T) => void): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		let settled = false;
		const abort = () => {
			settled = true;
			reject(signal.reason);
		};
		if (signal.aborted) abort();
		else signal.addEventListener('abort', abort, { once: true });
		promise.then(
			(value) => {
				signal.removeEventListener('abort', abort);
				if (settled) late(value);
				else resolve(value);
			},
			(error: unknown) => {
				signal.removeEventListener('abort', abort);
				// After an abort the attempt is already reported; its own late failure changes nothing.
				if (!settled) reject(error);
			},
		);
	});
}

/** Turns the last attempt into the envelope, or into the error the user sees. */
function settle(
	context: IExecuteFunctions,
	outcome: Attempt,
	request: FailedRequest,
	policy: RetryPolicy,
): FanPassEnvelope {
	if (outcome.kind === 'network') throw networkError(context, request, outcome.code, outcome.detail, policy.timeoutMs);
	if (outcome.kind === 'tooLarge') throw tooLargeError(context, request, outcome.statusCode, outcome.headers, outcome.error);
	const envelope = outcome.envelope;
	if (!envelope) throw notEnvelopeError(context, request, outcome.statusCode, outcome.statusMessage, outcome.body);
	const status = effectiveStatus(outcome.statusCode, envelope);
	if (status < 200 || status > 299) throw apiError(context, request, status, envelope, outcome.statusCode);
	return envelope;
}

function cancelled(context: IExecuteFunctions, request: FanPassRequest): NodeOperationError {
	return new NodeOperationError(context.getNode(), `The execution was stopped while sending to FanPass (${request.endpoint})`, {
		itemIndex: request.itemIndex,
	});
}

const isMultipart = (body: FanPassRequest['body']): body is MultipartBody =>
	Buffer.isBuffer((body as MultipartBody).body) && typeof (body as MultipartBody).contentType === 'string';
