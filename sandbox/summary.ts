/**
 * A light view of the state for benchmarks and big runs (GET /__sandbox/summary): counts and
 * timings of the requests (and the most in progress at once), and each segment's members as a count plus a digest, so that a
 * 1,000,000-member segment is checked without shipping its IDs. `?users=1` adds every user's
 * attributes (the full state dump would also carry every request body).
 */
import { createHash } from 'node:crypto';
import type { SandboxState } from './state';

export interface RequestSummary {
	total: number;
	/** "POST /api/v1/update_user 200" → count */
	byPathAndStatus: Record<string, number>;
	faulted: number;
	/** Sum of the time the sandbox spent on each request (reading the body included). */
	handlingMs: number;
	/** Wall time during which at least one request was being handled (overlaps merged). */
	busyMs: number;
	firstReceivedAt: string | null;
	lastFinishedAt: string | null;
	/** The most API requests in progress at the same moment since the last reset (arrival to answer). */
	peakInFlight: number;
	/**
	 * The most connections open at once (from accept to close; a connection that carries a control
	 * request stops counting): what a client's concurrency offers, even when each request is handled
	 * too fast to overlap with another.
	 */
	peakOpenConnections: number;
}

/**
 * Counts what is in progress (API requests from arrival to answer; connections that carried them) and
 * keeps the highest count. Live, because the recorded times (receivedAt in whole ms) cannot tell two back-to-back
 * sub-millisecond requests from two overlapping ones.
 */
export class InFlightGauge {
	private current = 0;
	private highest = 0;

	enter(): void {
		this.current++;
		if (this.current > this.highest) this.highest = this.current;
	}

	leave(): void {
		this.current--;
	}

	/** After a reset the peak starts again from the requests still in progress. */
	reset(): void {
		this.highest = this.current;
	}

	get peak(): number {
		return this.highest;
	}
}

export interface SegmentSummary {
	count: number;
	/** sha256 of the members, sorted, joined by "\n" */
	membersSha256: string;
	mode: string;
	version: number;
	lastImportId: number | null;
	importErrors: number;
}

export function membersDigest(userIds: Iterable<string>): string {
	return createHash('sha256').update([...userIds].sort().join('\n')).digest('hex');
}

export interface Gauges {
	requests: InFlightGauge;
	connections: InFlightGauge;
}

function summariseRequests(state: SandboxState, gauges: Gauges | undefined): RequestSummary {
	const byPathAndStatus: Record<string, number> = {};
	const intervals: Array<[number, number]> = [];
	let handlingMs = 0;
	let faulted = 0;
	for (const request of state.requests) {
		const key = `${request.method} ${request.path} ${request.status}`;
		byPathAndStatus[key] = (byPathAndStatus[key] ?? 0) + 1;
		if (request.fault) faulted++;
		handlingMs += request.durationMs;
		const start = Date.parse(request.receivedAt);
		intervals.push([start, start + request.durationMs]);
	}
	intervals.sort((a, b) => a[0] - b[0]);
	let busyMs = 0;
	let open: [number, number] | undefined;
	for (const interval of intervals) {
		if (open && interval[0] <= open[1]) open[1] = Math.max(open[1], interval[1]);
		else {
			if (open) busyMs += open[1] - open[0];
			open = [...interval];
		}
	}
	if (open) busyMs += open[1] - open[0];
	const last = intervals.reduce((max, interval) => Math.max(max, interval[1]), -Infinity);
	return {
		total: state.requests.length,
		byPathAndStatus,
		faulted,
		handlingMs: Math.round(handlingMs),
		busyMs: Math.round(busyMs),
		firstReceivedAt: intervals.length ? new Date(intervals[0][0]).toISOString() : null,
		lastFinishedAt: intervals.length ? new Date(last).toISOString() : null,
		peakInFlight: gauges?.requests.peak ?? 0,
		peakOpenConnections: gauges?.connections.peak ?? 0,
	};
}

export function summariseState(state: SandboxState, options: { users: boolean }, gauges?: Gauges): Record<string, unknown> {
	const segments: Record<string, SegmentSummary> = {};
	for (const [tag, segment] of state.segments) {
		segments[tag] = {
			count: segment.userIds.length,
			membersSha256: membersDigest(segment.userIds),
			mode: segment.mode,
			version: segment.version,
			lastImportId: segment.lastImportId,
			importErrors: segment.importErrors.length,
		};
	}
	const users = options.users
		? Object.fromEntries([...state.users].map(([id, user]) => [id, { user_properties: user.user_properties, custom: user.custom }]))
		: undefined;
	return { requests: summariseRequests(state, gauges), segments, userCount: state.users.size, ...(users ? { users } : {}) };
}
