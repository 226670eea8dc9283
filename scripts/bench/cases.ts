/** The benchmark cases (issue 5), at full size or at 1/100 (--quick), and how each one's result is judged. */
import { expectedSegmentIds, expectedUsers, SEGMENT, type Input } from './inputs';
import { membersDigest } from '../../sandbox/summary';
import type { Side } from './workflows';

export interface BenchCase {
	id: string;
	title: string;
	input: Input;
	/** the FanPass node first, then the baselines; the first baseline is the one ratios compare with */
	sides: Side[];
	/** fault rules installed in the sandbox before each side runs */
	faults: unknown[];
	/** the fewest requests that can do the job; checked for the FanPass node when set */
	minRequests?: number;
}

/** 429 with Retry-After: 1 on 10% of the API requests, the same requests (by order) on every run. */
export const RATE_LIMIT_FAULT = { kind: 'status', status: 429, retryAfter: '1', probability: 0.1, seed: 5 };

export const FULL_FILE_MODE_THRESHOLD = 10_000;

/**
 * Case 2 comes as pages of IDs: at one ID per item, n8n 2.40's expression engine (isolated-vm) costs
 * the FanPass node about 1.4 ms per item (case 1 measures it), so 1,000,000 items would take ~25 min.
 */
export const ID_PAGE_SIZE = 1000;

export function benchCases(scale: number): BenchCase[] {
	const n = (count: number) => Math.max(1, Math.round(count * scale));
	const distinct = n(10_000);
	return [
		{ id: '1', title: `${n(100_000).toLocaleString('en-US')}-contact CRM export into one segment`, input: { kind: 'contacts', count: n(100_000), perItem: 1 }, sides: ['fanpass', 'http-json', 'fanpass-legacy-expr'], faults: [], minRequests: 1 },
		{
			id: '2',
			title: `${n(1_000_000).toLocaleString('en-US')}-ID segment (items of ${ID_PAGE_SIZE.toLocaleString('en-US')} IDs)`,
			input: { kind: 'contacts', count: n(1_000_000), perItem: ID_PAGE_SIZE },
			sides: ['fanpass', 'http-csv', 'http-json'],
			faults: [],
			minRequests: 1,
		},
		{ id: '3', title: `${n(10_000).toLocaleString('en-US')} users, 10 distinct property sets`, input: { kind: 'users', count: n(10_000), sets: 10 }, sides: ['fanpass', 'http-grouped'], faults: [], minRequests: 10 },
		{ id: '4', title: `${n(10_000).toLocaleString('en-US')} users, ${distinct.toLocaleString('en-US')} distinct property sets`, input: { kind: 'users', count: n(10_000), sets: distinct }, sides: ['fanpass', 'http-grouped'], faults: [] },
		{ id: '5a', title: 'case 3 with 429 (Retry-After 1) on 10% of requests', input: { kind: 'users', count: n(10_000), sets: 10 }, sides: ['fanpass', 'http-grouped'], faults: [RATE_LIMIT_FAULT] },
		{ id: '5b', title: 'case 4 with 429 (Retry-After 1) on 10% of requests', input: { kind: 'users', count: n(10_000), sets: distinct }, sides: ['fanpass', 'http-grouped'], faults: [RATE_LIMIT_FAULT] },
	];
}

export interface SandboxSummary {
	requests: { total: number; byPathAndStatus: Record<string, number>; faulted: number; handlingMs: number; busyMs: number };
	segments: Record<string, { count: number; membersSha256: string; mode: string }>;
	userCount: number;
	users?: Record<string, { user_properties: Record<string, unknown>; custom: Record<string, unknown> }>;
}

export interface Verdict {
	correct: boolean;
	detail: string;
}

const canonical = (value: Record<string, unknown>) => JSON.stringify(Object.keys(value).sort().map((key) => [key, value[key]]));

/** Whether the sandbox holds exactly what the input asked for. */
export function judgeState(input: Input, summary: SandboxSummary): Verdict {
	if (input.kind === 'contacts') {
		const expected = expectedSegmentIds(input);
		const segment = summary.segments[SEGMENT.tag];
		if (!segment) return { correct: false, detail: `no segment "${SEGMENT.tag}"` };
		const others = Object.keys(summary.segments).filter((tag) => tag !== SEGMENT.tag);
		if (others.length) return { correct: false, detail: `unexpected segments ${others.join(', ')}` };
		if (segment.count !== expected.length) return { correct: false, detail: `${segment.count} members, expected ${expected.length}` };
		if (segment.membersSha256 !== membersDigest(expected)) return { correct: false, detail: 'members differ from the input (same count)' };
		return { correct: true, detail: `${segment.count} members (${segment.mode} mode), exactly the input` };
	}
	const expected = expectedUsers(input);
	const users = summary.users ?? {};
	let missing = 0;
	let wrong = 0;
	for (const [id, attributes] of expected) {
		const got = users[id];
		if (!got) missing++;
		else if (canonical(got.user_properties) !== canonical(attributes.user_properties) || canonical(got.custom) !== canonical(attributes.custom)) wrong++;
	}
	const extra = Object.keys(users).filter((id) => !expected.has(id)).length;
	if (missing || wrong || extra) return { correct: false, detail: `${missing} users missing, ${wrong} with wrong properties, ${extra} unexpected` };
	return { correct: true, detail: `${expected.size} users, each with exactly its properties` };
}
