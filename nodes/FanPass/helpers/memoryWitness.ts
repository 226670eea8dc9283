import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * A second, tiny record of how far Skip Unchanged's memory should be: one number per node in n8n's
 * deduplication store (`processed_data`, mode latestIncrementalKey, scope node), which n8n keeps in
 * its database and which queue-mode workers read and write like the main process.
 *
 * Why: the memory lives in the workflow's static data, and an execution can start with static data
 * that is not the latest (n8n 2.x queue-mode workers always start with none: 2.40.7 enqueues the
 * execution with a workflow snapshot that leaves static data out and reloads it on the worker only
 * for resumed executions), or that misses what a run since sent (a manual run, whose static data
 * n8n never saves; a run that stopped before n8n saved; two runs at once). Skipping on such a memory
 * would skip wrongly: A accepted, B sent by a run whose memory was lost, A again is skipped although
 * FanReach holds B. The witness turns every such case into "send everything and remember again".
 *
 * The static data holds a generation g (the time of the save, in ms, or g + 1 if that is not later),
 * the witness the largest number recorded. The store only answers "was a number at least this large
 * recorded?" (and records it if not), so:
 * - a production run records g + 0.5 when it starts: already there means another run started or
 *   sent since g was saved, so its memory is not trusted (it sends everything and records g + 0.6,
 *   so that a run still going notices it); before it saves, a run that trusted its memory checks
 *   g + 0.55: anything above its own start mark is another run's. It saves the generation it
 *   records; when another run overlapped it, or saved a generation at least as large, it saves an
 *   empty memory and records the generation + 0.5, so that a memory saved with that generation
 *   (the other run's, in the same millisecond) is not trusted either;
 * - a manual run checks g + 0.25 (a lower mark, so that a test run that sends nothing leaves the
 *   next production run trusting its memory) and, when it sent something or was asked to forget,
 *   records g + 0.75: n8n will not save what it sent, so the next run must send everything.
 */
const OPTIONS = { mode: 'latestIncrementalKey' as const };

export type WitnessAnswer = 'new' | 'seen' | 'unavailable';

export const MARK = {
	manualStart: 0.25,
	productionStart: 0.5,
	/** Checked by a trusting run before it saves: anything above its start mark came from another run. */
	othersSince: 0.55,
	/** Recorded by a production run whose start was already seen, for a run still going to notice. */
	startedAfterAnother: 0.6,
	manualSent: 0.75,
	saved: 1,
} as const;

/**
 * Records `generation + mark` unless a number at least as large is there. `unavailable` when the
 * store cannot be used (no workflow ID, a database error): callers then treat the memory as stale.
 */
export async function witness(context: IExecuteFunctions, generation: number, mark: number): Promise<WitnessAnswer> {
	try {
		const value = String(generation + mark);
		const answer = await context.helpers.checkProcessedAndRecord([value], 'node', OPTIONS);
		return answer.new.length === 1 ? 'new' : 'seen';
	} catch (error) {
		context.logger.warn(`FanPass Skip Unchanged: n8n's deduplication store could not be used (${(error as Error).message})`);
		return 'unavailable';
	}
}
