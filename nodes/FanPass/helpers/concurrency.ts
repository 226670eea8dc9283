/**
 * Runs tasks with at most `limit` in flight, keeping results in task order. On the first
 * rejection no further task is started and the rejection is passed on.
 */
export async function runWithConcurrency<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
	const results: T[] = new Array(tasks.length);
	let next = 0;
	let failed = false;
	const worker = async () => {
		while (!failed && next < tasks.length) {
			const index = next++;
			results[index] = await tasks[index]().catch((error: unknown) => {
				failed = true;
				return Promise.reject(error);
			});
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
	return results;
}
