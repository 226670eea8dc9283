/** The benchmark cases (issues 5 and 13), at full size or at 1/100 (--quick), and how each one's result is judged. */
import { expectedSegmentIds, expectedUsers, SEGMENT, type Input, type UsersInput } from './inputs';
import { membersDigest } from '../../sandbox/summary';
import type { CredentialImport, WorkflowJson } from '../n8n-runtime/n8nCli';
import type { N8nInstall } from '../n8n-runtime/n8nInstall';
import type { SandboxProcess } from '../n8n-runtime/sandboxProcess';
import { N8N_LATEST } from '../n8n-runtime/n8nVersions';
import type { MeasuredRun, RunData } from './measure';
import { executionBodies, runExecutions } from './queueCase';
import type { ExecutionsStats } from './report';
import type { Side } from './workflows';

/** What a case's own runner gets: the default is one `n8n execute` of the side's workflow (measure.ts). */
export interface SideRunContext {
	side: Side;
	workflowId: string;
	/** the side's workflow, as imported into the bench's user folder */
	workflow: WorkflowJson;
	stdoutFile: string;
	timeoutMs: number;
	env: NodeJS.ProcessEnv;
	sandbox: SandboxProcess;
	install: N8nInstall;
	/** the packed package, for user folders of the case's own (e.g. queue mode's main and workers) */
	tarball: string;
	/** the bench's user folder: the package installed, the credentials and every side's workflow imported */
	userFolder: string;
	/** the credentials imported there (the workflows refer to them by id) */
	credentials: CredentialImport[];
	/** the default runner, for a case that only adds steps around it */
	defaultRun(): Promise<MeasuredRun>;
}

/** A case's own run: the run data read by the runner itself (else from the `n8n execute` output), and case 8's executions. */
export interface CaseRun extends MeasuredRun {
	data?: RunData;
	executions?: ExecutionsStats;
}

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
	/** whether to measure the floor after the FanPass side (default: when the case injects no faults) */
	floor?: boolean;
	/**
	 * Hooks for cases that need more than "reset the sandbox, run the workflow once", e.g. a nightly
	 * incremental sync (prepare: seed the sandbox with the previous night's state, so that only the
	 * changed 1% must be sent) or queue mode (run: start Redis and workers, enqueue the executions, wait
	 * for them). prepare runs after the sandbox reset and the fault rules, before each side's run.
	 */
	prepare?: (sandbox: SandboxProcess, side: Side) => Promise<void>;
	run?: (context: SideRunContext) => Promise<CaseRun>;
	/**
	 * The input arrives as this many production webhook calls at once, each with a slice of the users
	 * (Webhook → Split Out → the side, instead of Manual Trigger → Code); run then starts the n8n they run on.
	 */
	executions?: number;
}

/** 429 with Retry-After: 1 on 10% of the API requests, the same requests (by order) on every run. */
export const RATE_LIMIT_FAULT = { kind: 'status', status: 429, retryAfter: '1', probability: 0.1, seed: 5 };

/**
 * FanPass across a network answers in tens of milliseconds, the local sandbox in well under one: this
 * delay on every update_user request shows what Update User's Concurrent Requests buys once the
 * server's latency, not n8n's CPU, is what a request waits for.
 */
export const NETWORK_LATENCY_MS = 25;
export const LATENCY_FAULT = { kind: 'delay', delayMs: NETWORK_LATENCY_MS, probability: 1, path: 'update_user' };

export const FULL_FILE_MODE_THRESHOLD = 10_000;

/**
 * Case 2 comes as pages of IDs: at one ID per item, n8n 2.40's expression engine (isolated-vm) costs
 * the FanPass node about 1.4 ms per item (case 1 measures it), so 1,000,000 items would take ~25 min.
 */
export const ID_PAGE_SIZE = 1000;

/** n8n 1.x has only one expression engine, so the legacy-engine side exists on 2.x only. */
export function benchCases(scale: number, n8nVersion = N8N_LATEST): BenchCase[] {
	const v1 = n8nVersion.startsWith('1.');
	return allCases(scale).map((c) => (v1 ? { ...c, sides: c.sides.filter((side) => side !== 'fanpass-legacy-expr') } : c));
}

/** Input items a side's nodes get. */
export function itemCount(input: Input): number {
	return input.kind === 'contacts' ? Math.ceil(input.count / input.perItem) : input.count;
}

/** Case 8's size: 20 executions of 500 users each (10,000 requests), --quick 4 of 25. */
export function queueCaseSize(scale: number): { executions: number; usersEach: number; input: UsersInput } {
	const executions = Math.max(4, Math.round(20 * scale));
	const usersEach = Math.max(1, Math.round((10_000 * scale) / executions));
	return { executions, usersEach, input: { kind: 'users', count: executions * usersEach, sets: executions * usersEach } };
}

function allCases(scale: number): BenchCase[] {
	const n = (count: number) => Math.max(1, Math.round(count * scale));
	const distinct = n(10_000);
	const queue = queueCaseSize(scale);
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
		{
			id: '6',
			title: `nightly sync, ${n(100_000).toLocaleString('en-US')} users, 1% changed`,
			// every user its own property set, as in a CRM (issue 15: ~10,000 requests per 10,000 users)
			input: { kind: 'users', count: n(100_000), sets: n(100_000), changedEvery: 100 },
			sides: ['fanpass-skip', 'fanpass', 'http-grouped'],
			faults: [],
			floor: false,
			// the previous night runs first (not measured); the measured run is the next night, 1% changed
			run: async (context) => {
				const previous = await context.defaultRun();
				if (previous.timedOut || previous.code !== 0) return previous;
				await context.sandbox.clearRequests();
				return await context.defaultRun();
			},
		},
		{
			id: '7',
			title: `${n(2_000).toLocaleString('en-US')} users, as many property sets, FanPass answering after ${NETWORK_LATENCY_MS} ms`,
			input: { kind: 'users', count: n(2_000), sets: n(2_000) },
			sides: ['fanpass', 'fanpass-c1', 'fanpass-c8', 'http-grouped'],
			faults: [LATENCY_FAULT],
			floor: false,
		},
		{
			id: '8',
			title: `queue mode: ${queue.executions} executions at once across main + 2 workers, ${queue.usersEach.toLocaleString('en-US')} users each (own property sets)`,
			input: queue.input,
			// the same executions in regular mode (one main) for comparison; both FanPass node only
			sides: ['fanpass-queue', 'fanpass-regular'],
			faults: [],
			floor: false,
			executions: queue.executions,
			run: (context) => runExecutions(context, executionBodies(queue.input, queue.executions)),
		},
	];
}

export interface SandboxSummary {
	requests: { total: number; byPathAndStatus: Record<string, number>; faulted: number; handlingMs: number; busyMs: number; peakInFlight?: number; peakOpenConnections?: number };
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
