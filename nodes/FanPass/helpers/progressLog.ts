import type { IExecuteFunctions } from 'n8n-workflow';

/** Runs with fewer requests than this log nothing: a few seconds of work needs no progress. */
export const PROGRESS_FROM = 2000;

/**
 * Returns a function to call after each finished request; for long runs it logs through n8n's
 * logger about every tenth of the way ("FanPass Update User: 3000 of 10000 requests (30%)").
 */
export function progressLog(context: IExecuteFunctions, action: string, total: number): () => void {
	if (total < PROGRESS_FROM) return () => {};
	const step = Math.max(1, Math.ceil(total / 10));
	let done = 0;
	return () => {
		done++;
		if (done % step === 0 || done === total) {
			context.logger.info(`FanPass ${action}: ${done} of ${total} requests (${Math.floor((done * 100) / total)}%)`);
		}
	};
}
