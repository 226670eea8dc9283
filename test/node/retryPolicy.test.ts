import {
	checkRequestOptions,
	DEFAULT_RETRY_POLICY,
	isRetryableNetworkCode,
	isRetryableStatus,
	parseRetryAfter,
	readRetryPolicy,
	retryDelayMs,
} from '../../nodes/FanPass/transport/retryPolicy';
import { RateGate } from '../../nodes/FanPass/transport/rateGate';

describe('retry policy', () => {
	it('retries only rate limits and gateway errors, never what retrying cannot fix', () => {
		expect([429, 502, 503, 504].every(isRetryableStatus)).toBe(true);
		expect([200, 400, 401, 403, 404, 413, 500].some(isRetryableStatus)).toBe(false);
	});

	it('retries dropped, refused and timed-out connections, not DNS failures of a wrong host', () => {
		for (const code of ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE']) {
			expect(isRetryableNetworkCode(code)).toBe(true);
		}
		expect(isRetryableNetworkCode('ERR_BAD_RESPONSE', 'socket hang up')).toBe(true);
		expect(isRetryableNetworkCode('ERR_X', 'timeout of 500ms exceeded')).toBe(true);
		expect(isRetryableNetworkCode('ENOTFOUND', 'getaddrinfo ENOTFOUND fanpass.example')).toBe(false);
		expect(isRetryableNetworkCode('ERR_CANCELED', 'canceled')).toBe(false);
	});

	it('reads Retry-After as seconds or as an HTTP date', () => {
		const now = Date.parse('2026-11-24T12:00:00Z');
		expect(parseRetryAfter('3', now)).toBe(3000);
		expect(parseRetryAfter('0.5', now)).toBe(500);
		expect(parseRetryAfter(['7'], now)).toBe(7000);
		expect(parseRetryAfter('Tue, 24 Nov 2026 12:00:10 GMT', now)).toBe(10_000);
		expect(parseRetryAfter('Tue, 24 Nov 2026 11:00:00 GMT', now)).toBe(0);
		expect(parseRetryAfter('soon', now)).toBeUndefined();
		expect(parseRetryAfter('', now)).toBeUndefined();
		expect(parseRetryAfter(undefined, now)).toBeUndefined();
		expect(parseRetryAfter('-1', now)).toBeUndefined();
	});

	it('backs off exponentially with jitter, capped, and lets Retry-After decide when given', () => {
		const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1000, maxDelayMs: 8000 };
		expect([1, 2, 3, 4, 5].map((retry) => retryDelayMs(retry, policy, undefined, () => 0))).toEqual([500, 1000, 2000, 4000, 4000]);
		expect([1, 2, 3, 4, 5].map((retry) => retryDelayMs(retry, policy, undefined, () => 0.999999))).toEqual([1000, 2000, 4000, 8000, 8000]);
		expect(retryDelayMs(1, policy, 3000, () => 0)).toBe(3000);
		expect(retryDelayMs(1, policy, 3000, () => 1)).toBe(3300);
		expect(retryDelayMs(1, policy, 60_000, () => 1)).toBe(61_000);
		expect(retryDelayMs(4, policy, 0, () => 1)).toBe(0);
	});

	it('reads the Request Options in seconds, with defaults for what is missing or nonsense', () => {
		expect(readRetryPolicy({})).toEqual(DEFAULT_RETRY_POLICY);
		expect(readRetryPolicy({ maxRetries: 2, maxRetryWait: 10, retryDelay: 0.25, timeout: 5 })).toEqual({
			maxRetries: 2,
			maxTotalWaitMs: 10_000,
			baseDelayMs: 250,
			maxDelayMs: 60_000,
			timeoutMs: 5000,
		});
		expect(readRetryPolicy({ maxRetries: -1, timeout: 'x' })).toEqual(DEFAULT_RETRY_POLICY);
		expect(readRetryPolicy({ maxRetries: 0 }).maxRetries).toBe(0);
		// a Timeout of 0 never means "no deadline": checkRequestOptions refuses it, and the reader keeps the default
		expect(readRetryPolicy({ timeout: 0 }).timeoutMs).toBe(DEFAULT_RETRY_POLICY.timeoutMs);
	});

	it('names every Request Option it cannot use, and accepts numeric text from expressions', () => {
		expect(checkRequestOptions({})).toEqual([]);
		expect(checkRequestOptions({ maxRetries: '3', maxRetryWait: 0, retryDelay: 0, timeout: '0.5' })).toEqual([]);
		expect(checkRequestOptions({ maxRetries: 21, timeout: 0 })).toEqual([
			'Request Options → Max Retries is 21; it must be a whole number from 0 to 20',
			expect.stringMatching(/^Request Options → Timeout \(Seconds\) is 0; it must be more than 0 and at most 3600 seconds: it is the most time one attempt may take, from sending the request to the last byte of FanPass's answer, and the node never waits without a limit\. Leave it out for the default of 120 s$/),
		]);
	});

	it('holds back a whole run until the latest Retry-After has passed', () => {
		const gate = new RateGate();
		expect(gate.waitMs(1000)).toBe(0);
		gate.closeFor(2000, 1000);
		gate.closeFor(500, 1000);
		expect(gate.waitMs(1000)).toBe(2000);
		expect(gate.waitMs(2500)).toBe(500);
		expect(gate.waitMs(4000)).toBe(0);
	});
});
