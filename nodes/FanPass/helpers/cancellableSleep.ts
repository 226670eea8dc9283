import { sleep, type IExecuteFunctions } from 'n8n-workflow';

/**
 * Sleeps in short slices so that stopping the execution ends the wait within a fraction of a
 * second; throws the error `cancelled()` builds when the execution is stopped. `giveUp`, when
 * given, ends the wait early in the same way (e.g. another item already failed the node).
 */
export async function sleepUnlessCancelled(
	context: IExecuteFunctions,
	ms: number,
	cancelled: () => Error,
	giveUp?: () => boolean,
): Promise<void> {
	const signal = context.getExecutionCancelSignal();
	const end = Date.now() + ms;
	for (;;) {
		if (signal?.aborted || giveUp?.()) throw cancelled();
		const left = end - Date.now();
		if (left <= 0) return;
		await sleep(Math.min(left, 100));
	}
}
