import type { IDataObject } from 'n8n-workflow';

import type { PollSettings } from './importStatus';

export interface WaitBehaviour {
	poll: PollSettings;
	onFailed: 'error' | 'output';
	onTimeout: 'error' | 'output';
}

/** Reads the wait options shared by Wait for Import and Upload Segment File's "wait" option. */
export function readWaitBehaviour(options: IDataObject): WaitBehaviour {
	const seconds = (value: unknown, fallback: number) => {
		const number = Number(value);
		return Number.isFinite(number) && number >= 0 ? number : fallback;
	};
	const intervalMs = Math.max(50, seconds(options.pollInterval, 5) * 1000);
	return {
		poll: {
			intervalMs,
			maxWaitMs: seconds(options.maxWait, 600) * 1000,
			backoff: 1.5,
			maxIntervalMs: Math.max(intervalMs, 60_000),
		},
		onFailed: options.onFailed === 'output' ? 'output' : 'error',
		onTimeout: options.onTimeout === 'output' ? 'output' : 'error',
	};
}
