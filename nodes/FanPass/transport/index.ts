import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type JsonObject,
} from 'n8n-workflow';

import { parseEnvelope, previewBody, type FanPassEnvelope } from './envelope';
import type { MultipartBody } from './multipart';

export type FanPassEndpoint = '/api/v1/segments' | '/api/v1/update_user' | '/api/v1/segment_import_status';

export const CREDENTIAL_NAME = 'fanPassApi';

const UNAUTHORIZED_HINT =
	'The FanPass API token is missing or invalid. Open the FanPass credential used by this node, paste a current token from the FanReach Portal, and click "Test" to check it.';

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
}

/**
 * Sends one request to FanPass and returns its envelope. Every FanPass call goes through here:
 * non-2xx answers and bodies that are not the envelope become a NodeApiError that carries
 * FanPass's error text, the HTTP status and the correlationId, and never the request's headers.
 */
export async function fanPassRequest(
	context: IExecuteFunctions,
	request: FanPassRequest,
): Promise<FanPassEnvelope> {
	const multipart = isMultipart(request.body) ? request.body : undefined;
	const options: IHttpRequestOptions = {
		method: 'POST',
		url: `${request.baseUrl}${request.endpoint}`,
		body: multipart ? multipart.body : request.body,
		headers: multipart ? { 'Content-Type': multipart.contentType } : undefined,
		json: !multipart,
		encoding: multipart ? 'text' : undefined,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		abortSignal: context.getExecutionCancelSignal(),
	};
	let response: { body: unknown; statusCode: number; statusMessage?: string };
	try {
		response = await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_NAME, options);
	} catch (error) {
		throw networkError(context, request, error);
	}
	const envelope = parseEnvelope(response.body);
	const statusCode = response.statusCode;
	if (!envelope) {
		throw new NodeApiError(
			context.getNode(),
			{ statusCode, body: previewBody(response.body) } as JsonObject,
			{
				message: `FanPass answered ${request.endpoint} with HTTP ${statusCode}${response.statusMessage ? ` ${response.statusMessage}` : ''} and a body that is not FanPass's JSON`,
				description: `Check the API Host in the FanPass credential (${request.baseUrl}). The body began: ${previewBody(response.body)}`,
				httpCode: String(statusCode),
				itemIndex: request.itemIndex,
			},
		);
	}
	if (statusCode < 200 || statusCode > 299) throw apiError(context, request, statusCode, envelope);
	return envelope;
}

const isMultipart = (body: FanPassRequest['body']): body is MultipartBody =>
	Buffer.isBuffer((body as MultipartBody).body) && typeof (body as MultipartBody).contentType === 'string';

function apiError(
	context: IExecuteFunctions,
	request: FanPassRequest,
	statusCode: number,
	envelope: FanPassEnvelope,
): NodeApiError {
	const fanPassText = envelope.errors.join('; ') || `HTTP ${statusCode}`;
	const trace = envelope.correlationId ? ` (correlationId ${envelope.correlationId})` : '';
	const message = statusCode === 401 ? UNAUTHORIZED_HINT : `FanPass rejected the request: ${fanPassText}`;
	const description =
		statusCode === 401
			? `FanPass said: ${fanPassText}${trace}`
			: `HTTP ${statusCode} from ${request.endpoint}${trace}. Give the correlationId to FanReach support to trace it.`;
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
	return error;
}

function networkError(context: IExecuteFunctions, request: FanPassRequest, error: unknown): Error {
	if (error instanceof NodeOperationError) return error;
	// Statuses are read from the response, so anything thrown here never reached FanPass's answer:
	// only its code and message travel on (n8n rewrites a message that names the code, so it goes in the description), never the original error with the request's headers.
	const cause = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
	const code = cause.cause?.code ?? cause.code ?? 'REQUEST_FAILED';
	const detail = cause.cause?.message ?? cause.message ?? code;
	return new NodeApiError(context.getNode(), { networkErrorCode: code } as JsonObject, {
		message: `Could not reach FanPass at ${request.baseUrl}`,
		description: `${code}: ${detail}. Check the API Host in the FanPass credential and that the server is reachable from n8n.`,
		itemIndex: request.itemIndex,
	});
}
