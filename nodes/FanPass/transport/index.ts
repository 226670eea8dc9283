import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
} from 'n8n-workflow';

import { sleepUnlessCancelled } from '../helpers/cancellableSleep';
import { asNodeError } from '../helpers/itemErrors';
import { parseEnvelope, type FanPassEnvelope } from './envelope';
import { apiError, networkError, notEnvelopeError, type FailedRequest } from './errors';
import type { MultipartBody } from './multipart';
import { rateGateFor } from './rateGate';
import {
	isRetryableNetworkCode,
	isRetryableStatus,
	parseRetryAfter,
	readRetryPolicy,
	retryDelayMs,
	type RetryPolicy,
} from './retryPolicy';

export type FanPassEndpoint = '/api/v1/segments' | '/api/v1/update_user' | '/api/v1/segment_import_status';

export const CREDENTIAL_NAME = 'fanPassApi';

const LOCAL_HOSTS = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** Normalises and checks the credential's API host, so a typo or an unsafe host fails with a clear message. */
export function normaliseBaseUrl(value: unknown, allowInsecureHttp = false): string {
	const raw = typeof value === 'string' ? value.trim().replace(/\/+$/, '') : '';
	let url: URL | undefined;
	try {
		url = new URL(raw);
	} catch {
		url = undefined;
	}
	if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
		throw new Error(
			`The API Host in the FanPass credential ("${raw}") is not an http(s) URL. Use https://fanpass-api.fanreachdata.io, or your sandbox's address such as http://127.0.0.1:5680.`,
		);
	}
	if (url.protocol === 'http:' && !LOCAL_HOSTS.test(url.hostname) && !allowInsecureHttp) {
		throw new Error(
			`The API Host in the FanPass credential ("${raw}") uses plain http:// to a remote host, which would send the API token unencrypted. Use https://, or turn on "Allow Plain HTTP to a Remote Host (Insecure)" in the credential if you really mean it.`,
		);
	}
	return raw;
}

export async function getBaseUrl(context: IExecuteFunctions): Promise<string> {
	const credentials = await context.getCredentials(CREDENTIAL_NAME);
	try {
		return normaliseBaseUrl(credentials.baseUrl, credentials.allowInsecureHttp === true);
	} catch (error) {
		throw new NodeOperationError(context.getNode(), (error as Error).message);
	}
}

export interface FanPassRequest {
	baseUrl: string;
	endpoint: FanPassEndpoint;
	body: IDataObject | MultipartBody;
	/** The first input item this request serves, for the error's item index. */
	itemIndex: number;
	/** Whether repeating it is safe; a dropped connection is retried only then. */
	idempotent?: boolean;
	/** The Request Options, when the caller has read them already (else read for the item). */
	policy?: RetryPolicy;
}

type Attempt =
	| { kind: 'response'; statusCode: number; statusMessage?: string; headers: IDataObject; body: unknown }
	| { kind: 'network'; code: string; detail: string };

/**
 * A 429 whose wait is at least this long pauses every request of the run: FanPass is throttling
 * the token, and the run's other requests would only collect 429s of their own. A shorter wait
 * is served by the rate-limited request alone, so the other batches keep going (measured with
 * 10% random 429s and Retry-After 1: pausing the whole run cut Update User's throughput ~4-fold).
 */
export const RUN_WIDE_PAUSE_MS = 5_000;

/** The node's "Request Options" for an item (retries and timeout). */
export function requestPolicy(context: IExecuteFunctions, itemIndex: number): RetryPolicy {
	return readRetryPolicy(context.getNodeParameter('requestOptions', itemIndex, {}) as IDataObject);
}

/**
 * Sends one request to FanPass and returns its envelope. Every FanPass call goes through here.
 * 429, 502, 503, 504 and connection failures are retried with backoff and jitter (honouring
 * Retry-After) within the node's Request Options; a 429 also holds back the run's other requests.
 * What is finally not a success becomes a NodeApiError with FanPass's error text, the HTTP status
 * and the correlationId, and never the request's headers.
 */
export async function fanPassRequest(
	context: IExecuteFunctions,
	request: FanPassRequest,
): Promise<FanPassEnvelope> {
	const policy = request.policy ?? requestPolicy(context, request.itemIndex);
	const gate = rateGateFor(context);
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
		const retryable =
			outcome.kind === 'network'
				? request.idempotent !== false && isRetryableNetworkCode(outcome.code, outcome.detail)
				: isRetryableStatus(outcome.statusCode);
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
		if (outcome.kind === 'response' && outcome.statusCode === 429 && delay >= RUN_WIDE_PAUSE_MS) gate.closeFor(delay);
		context.logger.warn(
			`FanPass ${request.endpoint}: ${outcome.kind === 'response' ? `HTTP ${outcome.statusCode}` : outcome.code}; retry ${attempt} of ${policy.maxRetries} in ${(delay / 1000).toFixed(1)} s`,
			{ itemIndex: request.itemIndex },
		);
		await sleepUnlessCancelled(context, delay, () => cancelled(context, request));
		waitedMs += delay;
	}
}

async function attemptOnce(context: IExecuteFunctions, request: FanPassRequest, policy: RetryPolicy): Promise<Attempt> {
	const multipart = isMultipart(request.body) ? request.body : undefined;
	const options: IHttpRequestOptions = {
		method: 'POST',
		url: `${request.baseUrl}${request.endpoint}`,
		// JSON is serialised here, not by n8n: n8n deep-copies request options and drops keys named
		// __proto__, constructor and prototype on the way, which are ordinary property names to FanPass.
		body: multipart ? multipart.body : JSON.stringify(request.body),
		headers: { 'Content-Type': multipart ? multipart.contentType : 'application/json', Accept: 'application/json' },
		json: false,
		encoding: 'text',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		abortSignal: context.getExecutionCancelSignal(),
		timeout: policy.timeoutMs > 0 ? policy.timeoutMs : undefined,
	};
	try {
		const response = (await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_NAME, options)) as {
			body: unknown;
			statusCode: number;
			statusMessage?: string;
			headers?: IDataObject;
		};
		return { kind: 'response', ...response, headers: response.headers ?? {} };
	} catch (error) {
		if (error instanceof NodeOperationError) throw asNodeError(context, error, request.itemIndex);
		if (context.getExecutionCancelSignal()?.aborted) throw cancelled(context, request);
		// Statuses are read from the response, so anything thrown here never got FanPass's answer.
		const cause = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
		const code = cause.cause?.code ?? cause.code ?? 'REQUEST_FAILED';
		return { kind: 'network', code, detail: cause.cause?.message ?? cause.message ?? code };
	}
}

/** Turns the last attempt into the envelope, or into the error the user sees. */
function settle(
	context: IExecuteFunctions,
	outcome: Attempt,
	request: FailedRequest,
	policy: RetryPolicy,
): FanPassEnvelope {
	if (outcome.kind === 'network') throw networkError(context, request, outcome.code, outcome.detail, policy.timeoutMs);
	const envelope = parseEnvelope(outcome.body);
	if (!envelope) throw notEnvelopeError(context, request, outcome.statusCode, outcome.statusMessage, outcome.body);
	if (outcome.statusCode < 200 || outcome.statusCode > 299) {
		throw apiError(context, request, outcome.statusCode, envelope);
	}
	return envelope;
}

function cancelled(context: IExecuteFunctions, request: FanPassRequest): NodeOperationError {
	return new NodeOperationError(context.getNode(), `The execution was stopped while sending to FanPass (${request.endpoint})`, {
		itemIndex: request.itemIndex,
	});
}

const isMultipart = (body: FanPassRequest['body']): body is MultipartBody =>
	Buffer.isBuffer((body as MultipartBody).body) && typeof (body as MultipartBody).contentType === 'string';
