/**
 * Fault injection: rules that make API requests misbehave on demand (error statuses, proxy
 * pages, empty or truncated bodies, dropped connections, delays, trickled bodies, rewritten
 * answers), checked in order before auth, like a proxy or rate limiter in front of the API.
 * See sandbox/README.md, "Fault injection".
 */

export const FAULT_KINDS = ['status', 'html', 'empty', 'truncated', 'drop', 'delay', 'trickle', 'rewrite'] as const;

export type FaultKind =
	| 'status' // answer `status` (default 503) with the FanPass JSON envelope, errors: [message]
	| 'html' // answer `status` (default 502) with an HTML proxy error page, content-type text/html
	| 'empty' // answer `status` (default 502) with an empty body
	| 'truncated' // answer `status` (default 200) with content-type application/json and a cut-off JSON body
	| 'drop' // destroy the socket without any response
	| 'delay' // wait `delayMs` before handling the request normally (or until the client disconnects)
	| 'trickle' // handle the request, send the headers at once, then `chunkBytes` of the body every `intervalMs`
	| 'rewrite'; // handle the request, then answer with its envelope changed (`set`, `unset`, `stringify`, `pad`)

/** Grows an envelope's `messages` and/or `errors` with generated strings (huge answers). */
export interface PadSpec {
	/** Strings appended to `messages`. */
	messages?: number;
	/** Strings appended to `errors`. */
	errors?: number;
	/** Length of each string in characters (default 100). */
	length?: number;
}

export interface FaultRule {
	kind: FaultKind;
	status?: number;
	/** Sent verbatim as the Retry-After header (e.g. '1' or an HTTP date). */
	retryAfter?: string;
	/** For 'delay'. */
	delayMs?: number;
	/** Apply to the next N matching requests, then the rule is spent (default 1). */
	count?: number;
	/**
	 * Instead of count: from the rule's first hit on, hit every matching request for this many
	 * milliseconds, then the rule is spent (a rate limiter that stays closed for a while, whoever asks).
	 */
	windowMs?: number;
	/** 0..1: instead of count, hit each matching request with this probability; never spent. */
	probability?: number;
	/** Seed of the rule's deterministic PRNG (default 1); ignored without probability. */
	seed?: number;
	/** Only requests whose path ends with this (e.g. 'update_user'); default all API paths. */
	path?: string;
	/** Only requests with this method (case-insensitive). */
	method?: string;
	/** Handle the request first (its effects happen), then answer with the fault. Not for 'delay'. */
	afterApply?: boolean;
	/** For 'status' and 'html': the error text (default: the status's reason phrase, marked as injected). */
	message?: string;
	/** For 'status': the envelope's own `status` field, when it should differ from the HTTP status (e.g. 200 with 500). */
	envelopeStatus?: number;
	/** For 'trickle': milliseconds between chunks (default 400). */
	intervalMs?: number;
	/** For 'trickle': bytes per chunk (default 1). */
	chunkBytes?: number;
	/** For 'rewrite': fields merged into the envelope; objects merge deeply (e.g. {import_status: {state: 'COMPLETED'}}). */
	set?: Record<string, unknown>;
	/** For 'rewrite': top-level fields removed from the envelope. */
	unset?: string[];
	/** For 'rewrite': top-level fields whose value is sent as text (e.g. the import id as "1001"). */
	stringify?: string[];
	/** For 'rewrite': generated messages/errors appended to the envelope. */
	pad?: PadSpec;
}

/** A rule as listed: the rule plus its bookkeeping. */
export interface ListedFaultRule extends FaultRule {
	/** Hits left for a count rule (0 = spent); null for a probability rule. */
	remaining: number | null;
	/** Requests the rule's filters matched (hit or not). */
	matched: number;
	/** Requests the rule was applied to. */
	hits: number;
}

export interface FaultRecord {
	at: number;
	method: string;
	path: string;
	kind: FaultKind;
	status?: number;
	/** The sandbox handled the request (auth, validation, effects) before or despite the fault. */
	applied: boolean;
}

export const DEFAULT_FAULT_STATUS: Readonly<Record<FaultKind, number | undefined>> = {
	status: 503,
	html: 502,
	empty: 502,
	truncated: 200,
	drop: undefined,
	delay: undefined,
	trickle: undefined,
	rewrite: undefined,
};

const RULE_FIELDS = new Set([
	'kind',
	'status',
	'retryAfter',
	'delayMs',
	'count',
	'windowMs',
	'probability',
	'seed',
	'path',
	'method',
	'afterApply',
	'message',
	'envelopeStatus',
	'intervalMs',
	'chunkBytes',
	'set',
	'unset',
	'stringify',
	'pad',
]);

/** Kinds that always handle the request themselves (afterApply does not apply). */
const HANDLING_KINDS = new Set<FaultKind>(['delay', 'trickle', 'rewrite']);

/** The largest padding a rule may ask for, so a typo cannot exhaust the sandbox's memory. */
export const MAX_PAD_CHARS = 256 * 1024 * 1024;

/** Kinds that answer with an HTTP response of their own. */
const ANSWERING_KINDS = new Set<FaultKind>(['status', 'html', 'empty', 'truncated']);

export class FaultRuleError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'FaultRuleError';
	}
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkRule(raw: unknown): string[] {
	if (!isObject(raw)) return ['must be a JSON object'];
	const problems: string[] = [];
	const kind = raw.kind;
	if (!FAULT_KINDS.includes(kind as FaultKind)) {
		problems.push(`unknown kind ${JSON.stringify(kind)} (expected one of ${FAULT_KINDS.join(', ')})`);
	}
	for (const key of Object.keys(raw)) {
		if (!RULE_FIELDS.has(key)) problems.push(`unknown field "${key}"`);
	}
	const defined = (key: string) => raw[key] !== undefined;
	const answering = ANSWERING_KINDS.has(kind as FaultKind) || kind === 'rewrite';

	if (defined('status')) {
		const status = raw.status;
		if (!Number.isInteger(status) || (status as number) < 200 || (status as number) > 599) {
			problems.push('status must be an integer from 200 to 599');
		} else if (!answering) problems.push(`status does not apply to kind "${String(kind)}"`);
	}
	if (defined('envelopeStatus')) {
		const status = raw.envelopeStatus;
		if (!Number.isInteger(status) || (status as number) < 100 || (status as number) > 599) {
			problems.push('envelopeStatus must be an integer from 100 to 599');
		} else if (kind !== 'status') problems.push('envelopeStatus applies only to kind "status"');
	}
	if (defined('retryAfter')) {
		if (typeof raw.retryAfter !== 'string' || !/^[\x20-\x7e]*\S[\x20-\x7e]*$/.test(raw.retryAfter)) {
			problems.push('retryAfter must be a non-empty string of printable ASCII (seconds or an HTTP date)');
		} else if (!answering) problems.push(`retryAfter does not apply to kind "${String(kind)}"`);
	}
	if (kind === 'delay') {
		if (!Number.isInteger(raw.delayMs) || (raw.delayMs as number) < 0) {
			problems.push('delayMs must be a non-negative integer (required for kind "delay")');
		}
	} else if (defined('delayMs')) problems.push('delayMs applies only to kind "delay"');
	if (HANDLING_KINDS.has(kind as FaultKind) && defined('afterApply')) {
		problems.push(`afterApply does not apply to kind "${String(kind)}" (its request is always handled)`);
	}
	problems.push(...checkTrickle(raw, kind), ...checkRewrite(raw, kind));
	if (defined('count') && (!Number.isInteger(raw.count) || (raw.count as number) < 1)) {
		problems.push('count must be a positive integer');
	}
	if (defined('windowMs')) {
		if (!Number.isInteger(raw.windowMs) || (raw.windowMs as number) < 1) problems.push('windowMs must be a positive integer');
		if (defined('count') || defined('probability')) problems.push('give only one of count, windowMs and probability');
	}
	if (defined('probability')) {
		const p = raw.probability;
		if (typeof p !== 'number' || !Number.isFinite(p) || p < 0 || p > 1) problems.push('probability must be a number from 0 to 1');
		if (defined('count')) problems.push('give either count or probability, not both');
	}
	if (defined('seed') && !Number.isSafeInteger(raw.seed)) problems.push('seed must be an integer');
	for (const key of ['path', 'method', 'message']) {
		if (defined(key) && (typeof raw[key] !== 'string' || (raw[key] as string).trim() === '')) {
			problems.push(`${key} must be a non-empty string`);
		}
	}
	if (defined('message') && kind !== 'status' && kind !== 'html') problems.push('message applies only to kinds "status" and "html"');
	if (defined('afterApply') && typeof raw.afterApply !== 'boolean') problems.push('afterApply must be true or false');
	return problems;
}

function checkTrickle(raw: Record<string, unknown>, kind: unknown): string[] {
	const problems: string[] = [];
	for (const [key, min] of [['intervalMs', 0], ['chunkBytes', 1]] as const) {
		if (raw[key] === undefined) continue;
		if (kind !== 'trickle') problems.push(`${key} applies only to kind "trickle"`);
		else if (!Number.isInteger(raw[key]) || (raw[key] as number) < min) {
			problems.push(`${key} must be ${min === 0 ? 'a non-negative' : 'a positive'} integer`);
		}
	}
	return problems;
}

const isStringList = (value: unknown) =>
	Array.isArray(value) && value.length > 0 && value.every((entry) => typeof entry === 'string' && entry !== '');

function checkRewrite(raw: Record<string, unknown>, kind: unknown): string[] {
	const problems: string[] = [];
	const present = ['set', 'unset', 'stringify', 'pad'].filter((key) => raw[key] !== undefined);
	if (kind !== 'rewrite') return present.map((key) => `${key} applies only to kind "rewrite"`);
	if (present.length === 0) problems.push('kind "rewrite" needs at least one of set, unset, stringify, pad');
	if (raw.set !== undefined && !isObject(raw.set)) problems.push('set must be a JSON object');
	for (const key of ['unset', 'stringify']) {
		if (raw[key] !== undefined && !isStringList(raw[key])) problems.push(`${key} must be a non-empty list of field names`);
	}
	if (raw.pad !== undefined) {
		const pad = raw.pad;
		if (!isObject(pad)) return [...problems, 'pad must be a JSON object {messages?, errors?, length?}'];
		for (const key of Object.keys(pad)) {
			if (!['messages', 'errors', 'length'].includes(key)) problems.push(`unknown field "pad.${key}"`);
		}
		for (const key of ['messages', 'errors', 'length']) {
			if (pad[key] !== undefined && (!Number.isInteger(pad[key]) || (pad[key] as number) < (key === 'length' ? 1 : 0))) {
				problems.push(`pad.${key} must be a ${key === 'length' ? 'positive' : 'non-negative'} integer`);
			}
		}
		const count = Number(pad.messages ?? 0) + Number(pad.errors ?? 0);
		if (count * Number(pad.length ?? 100) > MAX_PAD_CHARS) problems.push(`pad asks for more than ${MAX_PAD_CHARS} characters`);
	}
	return problems;
}

/** Validates one rule or a list of rules; throws FaultRuleError naming every problem. */
export function validateRules(input: unknown): FaultRule[] {
	const rules = Array.isArray(input) ? input : [input];
	const problems: string[] = [];
	rules.forEach((rule, index) => {
		const found = checkRule(rule);
		if (found.length > 0) problems.push(`fault rule #${index + 1}: ${found.join('; ')}`);
	});
	if (problems.length > 0) throw new FaultRuleError(`Invalid ${problems.join(' | ')}`);
	return rules.map((rule) => ({ ...(rule as FaultRule) }));
}

/** mulberry32: a small deterministic PRNG; returns floats in [0, 1). */
function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

interface ActiveRule {
	rule: FaultRule;
	remaining: number | null;
	matched: number;
	hits: number;
	draw: (() => number) | null;
	/** For a windowMs rule: when its window, opened by the first hit, closes. */
	windowEnds?: number;
}

function matches(rule: FaultRule, method: string, path: string): boolean {
	if (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) return false;
	return rule.path === undefined || path.endsWith(rule.path);
}

/** The installed rules and the log of injected faults. */
export class FaultInjector {
	private rules: ActiveRule[] = [];
	/** Every fault injected, in order; cleared in place. */
	readonly injected: FaultRecord[] = [];

	add(input: FaultRule | FaultRule[]): void {
		for (const rule of validateRules(input)) {
			const probabilistic = rule.probability !== undefined;
			this.rules.push({
				rule,
				remaining: probabilistic ? null : (rule.count ?? 1),
				matched: 0,
				hits: 0,
				draw: probabilistic ? prng(rule.seed ?? 1) : null,
			});
		}
	}

	clear(): void {
		this.rules = [];
		this.injected.length = 0;
	}

	list(): ListedFaultRule[] {
		return this.rules.map(({ rule, remaining, matched, hits }) => ({ ...rule, remaining, matched, hits }));
	}

	/**
	 * The fault for this request, if any: the first rule whose filters match, that is not spent
	 * and (for a probability rule) whose draw hits. A probability rule that misses lets later
	 * rules be checked. Consumes one count of the rule that applies.
	 */
	take(method: string, path: string): FaultRule | null {
		for (const active of this.rules) {
			if (active.remaining === 0 || !matches(active.rule, method, path)) continue;
			active.matched += 1;
			if (active.draw && active.draw() >= (active.rule.probability as number)) continue;
			if (active.rule.windowMs !== undefined) {
				const now = Date.now();
				active.windowEnds ??= now + active.rule.windowMs;
				if (now >= active.windowEnds) {
					active.remaining = 0;
					continue;
				}
				active.hits += 1;
				return active.rule;
			}
			if (active.remaining !== null) active.remaining -= 1;
			active.hits += 1;
			return active.rule;
		}
		return null;
	}

	record(entry: FaultRecord): void {
		this.injected.push(entry);
	}
}
