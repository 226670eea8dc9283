/**
 * File-import progress, computed from elapsed time on every read (no timers):
 *
 *   0 ............ pendingMs ........................ durationMs
 *   pending        processing (done grows linearly)   completed
 *
 * pendingMs is a fifth of durationMs. An import armed to fail midway fails halfway through
 * processing (see midwayFailures.ts). An import in which every row was rejected (0 users)
 * goes from pending to failed. The test hooks force `failed` (progress frozen where it was)
 * or `completed` at once.
 */
import type { ImportRecord, ImportState } from './state';

export interface ImportStatus {
	state: ImportState;
	total_users: number;
	done: number;
	remaining: number;
	/** Null while pending (not yet available). */
	percent: number | null;
	/** Sandbox values: null while pending/processing, "committed" when completed, "failed" when failed. */
	firestore_status: string | null;
}

export function pendingPhaseMs(durationMs: number): number {
	return Math.floor(durationMs / 5);
}

/** When an import armed to fail midway fails: halfway through its processing phase. */
export function midwayFailureMs(durationMs: number): number {
	const pending = pendingPhaseMs(durationMs);
	return pending + Math.floor((durationMs - pending) / 2);
}

function doneAt(record: ImportRecord, atMs: number): number {
	const elapsed = atMs - record.createdAtMs;
	if (elapsed < record.pendingMs) return 0;
	if (elapsed >= record.durationMs) return record.totalUsers;
	const span = record.durationMs - record.pendingMs;
	return Math.floor(((elapsed - record.pendingMs) * record.totalUsers) / span);
}

function status(state: ImportState, total: number, done: number, percent: number | null, firestore: string | null): ImportStatus {
	return { state, total_users: total, done, remaining: total - done, percent, firestore_status: firestore };
}

function percentOf(done: number, total: number): number {
	return total === 0 ? 0 : Math.floor((done * 100) / total);
}

export function computeImportStatus(record: ImportRecord, nowMs: number): ImportStatus {
	const total = record.totalUsers;
	if (record.forced?.state === 'completed') return status('completed', total, total, 100, 'committed');
	if (record.forced?.state === 'failed') {
		const done = Math.min(doneAt(record, record.forced.atMs), total);
		return status('failed', total, done, percentOf(done, total), 'failed');
	}
	const elapsed = nowMs - record.createdAtMs;
	const midway = record.midwayFailure;
	if (midway && total > 0 && elapsed >= midway.afterMs) {
		const done = doneAt(record, record.createdAtMs + midway.afterMs);
		return status('failed', total, done, percentOf(done, total), 'failed');
	}
	if (elapsed < record.pendingMs) return status('pending', total, 0, null, null);
	if (total === 0) return status('failed', 0, 0, 0, 'failed');
	if (elapsed >= record.durationMs) return status('completed', total, total, 100, 'committed');
	const done = doneAt(record, nowMs);
	return status('processing', total, done, percentOf(done, total), null);
}

/** Why a failed import failed. */
export function failureReason(record: ImportRecord): string {
	if (record.forced?.state === 'failed') return record.forced.reason ?? 'import failed (forced by the sandbox test hook)';
	if (record.midwayFailure && record.totalUsers > 0) return record.midwayFailure.reason;
	return 'every row in the file was rejected';
}

/** Test hook: the import fails now (progress frozen), or completes now. Finished imports are left alone. */
export function forceImport(
	record: ImportRecord,
	outcome: 'failed' | 'completed',
	nowMs: number,
	reason: string | null = null,
): ImportStatus {
	const current = computeImportStatus(record, nowMs);
	if (current.state !== 'completed' && current.state !== 'failed') {
		record.forced = { state: outcome, atMs: nowMs, reason: outcome === 'failed' ? reason : null };
	}
	return computeImportStatus(record, nowMs);
}
