import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { requestOptionsDescription } from '../actions/common/requestOptions.description';

/** How a FanPass request is retried and timed out; read from the node's "Request Options". */
export interface RetryPolicy {
	/** Retries after the first attempt; 0 turns retrying off. */
	maxRetries: number;
	/** The most time spent waiting between attempts, over all retries of one request. */
	maxTotalWaitMs: number;
	/** The first backoff; it doubles on every retry, up to maxDelayMs. */
	baseDelayMs: number;
	maxDelayMs: number;
	/**
	 * Per attempt: the deadline for the whole answer, from sending the request to the last byte
	 * of the body. Always > 0 (checkRequestOptions refuses 0).
	 */
	timeoutMs: number;
}

/** The Request Options' defaults, as the node's description declares them (the only copy). */
const declared = (name: string): number =>
	Number((requestOptionsDescription[0].options as INodeProperties[]).find((option) => option.name === name)?.default);

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxRetries: declared('maxRetries'),
	maxTotalWaitMs: declared('maxRetryWait') * 1000,
	baseDelayMs: declared('retryDelay') * 1000,
	maxDelayMs: 60_000,
	timeoutMs: declared('timeout') * 1000,
};

function nonNegative(value: unknown, fallback: number): number {
	if (value === undefined || value === null || value === '') return fallback;
	const number = Number(value);
	return Number.isFinite(number) && number >= 0 ? number : fallback;
}

/** Reads the "Request Options" collection (seconds in the UI, milliseconds here). */
export function readRetryPolicy(options: IDataObject): RetryPolicy {
	const policy = { ...DEFAULT_RETRY_POLICY };
	policy.maxRetries = Math.floor(nonNegative(options.maxRetries, policy.maxRetries));
	policy.maxTotalWaitMs = nonNegative(options.maxRetryWait, policy.maxTotalWaitMs / 1000) * 1000;
	policy.baseDelayMs = nonNegative(options.retryDelay, policy.baseDelayMs / 1000) * 1000;
	policy.maxDelayMs = Math.max(policy.baseDelayMs, policy.maxDelayMs);
	const timeoutSeconds = nonNegative(options.timeout, policy.timeoutMs / 1000);
	if (timeoutSeconds > 0 && timeoutSeconds <= MAX_TIMEOUT_SECONDS) policy.timeoutMs = Math.round(timeoutSeconds * 1000);
	return policy;
}

/** The longest Timeout accepted, in seconds (longer is surely a typo, and timers cannot hold much more). */
export const MAX_TIMEOUT_SECONDS = 3600;

const LIMITS: Array<{ key: string; label: string; min: number; max?: number; whole?: boolean; exclusiveMin?: boolean; hint: string }> = [
	{ key: 'maxRetries', label: 'Max Retries', min: 0, max: 20, whole: true, hint: 'a whole number from 0 to 20' },
	{ key: 'maxRetryWait', label: 'Max Retry Wait (Seconds)', min: 0, hint: 'a number of seconds, 0 or more' },
	{ key: 'retryDelay', label: 'First Retry Delay (Seconds)', min: 0, hint: 'a number of seconds, 0 or more' },
	{
		key: 'timeout',
		label: 'Timeout (Seconds)',
		min: 0,
		exclusiveMin: true,
		max: MAX_TIMEOUT_SECONDS,
		hint: `more than 0 and at most ${MAX_TIMEOUT_SECONDS} seconds: it is the most time one attempt may take, from sending the request to the last byte of FanPass's answer, and the node never waits without a limit. Leave it out for the default of ${DEFAULT_RETRY_POLICY.timeoutMs / 1000} s`,
	},
];

/** What is wrong with the "Request Options" values, one sentence per option (empty when all are usable). */
export function checkRequestOptions(options: IDataObject): string[] {
	const problems: string[] = [];
	for (const limit of LIMITS) {
		const value = options[limit.key];
		if (value === undefined || value === null || value === '') continue;
		const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
		const bad =
			!Number.isFinite(number) ||
			(limit.exclusiveMin ? number <= limit.min : number < limit.min) ||
			(limit.max !== undefined && number > limit.max) ||
			(limit.whole === true && !Number.isInteger(number));
		if (bad) {
			const given = typeof value === 'string' ? `"${value.slice(0, 40)}"` : JSON.stringify(value)?.slice(0, 40) ?? String(value);
			problems.push(`Request Options → ${limit.label} is ${given}; it must be ${limit.hint}`);
		}
	}
	return problems;
}

/** Statuses that mean "not now": rate limited, or a gateway in front of FanPass failed. */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

export const isRetryableStatus = (statusCode: number): boolean => RETRYABLE_STATUSES.has(statusCode);

/** Connection failures that are worth another attempt (the request may not have reached FanPass). */
const RETRYABLE_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'ENETUNREACH',
	'EHOSTUNREACH',
	'UND_ERR_SOCKET',
	'UND_ERR_CONNECT_TIMEOUT',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
]);

export const isRetryableNetworkCode = (code: string, message = ''): boolean =>
	RETRYABLE_CODES.has(code) || /socket hang up|timeout of \d+ms exceeded/i.test(message);

/**
 * Reads Retry-After (delay-seconds or an HTTP date) into milliseconds from now; undefined when
 * absent or unreadable. A date in the past means "now".
 */
export function parseRetryAfter(header: unknown, now = Date.now()): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	if (text === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	if (!/[a-z]/i.test(text)) return undefined;
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait before retry number `retry` (1-based): exponential backoff with "equal jitter"
 * (half fixed, half random) so that parallel batches do not retry in lockstep. A Retry-After
 * from FanPass replaces the backoff, plus up to 10% (at most 1 s) of jitter.
 */
export function retryDelayMs(retry: number, policy: RetryPolicy, retryAfterMs?: number, random = Math.random): number {
	if (retryAfterMs !== undefined) return Math.round(retryAfterMs + random() * Math.min(1000, retryAfterMs * 0.1));
	const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
	return Math.round(exponential / 2 + (random() * exponential) / 2);
}
