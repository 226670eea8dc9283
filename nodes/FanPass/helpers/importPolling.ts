import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { WAIT_DEFAULTS } from '../actions/segment/waitOptions.description';
import { importIdFrom, isFinishedState, readImportStatus, type FanPassTarget, type ImportStatus } from '../transport/client';
import { sleepUnlessCancelled } from './cancellableSleep';
import { itemError } from './itemErrors';

export interface PollSettings {
	intervalMs: number;
	maxWaitMs: number;
	/** Each wait is the previous one times this, up to maxIntervalMs. */
	backoff: number;
	maxIntervalMs: number;
}

export interface WaitBehaviour {
	poll: PollSettings;
	onFailed: 'error' | 'output';
	onTimeout: 'error' | 'output';
}

export interface PollOutcome {
	status: ImportStatus;
	correlationId: string;
	polls: number;
	waitedMs: number;
	timedOut: boolean;
}

/** Reads the wait options shared by Wait for Import and Upload Segment File's "wait" option. */
export function readWaitBehaviour(options: IDataObject): WaitBehaviour {
	const seconds = (value: unknown, fallback: number) => {
		const number = Number(value);
		return value !== undefined && value !== null && value !== '' && Number.isFinite(number) && number >= 0 ? number : fallback;
	};
	const intervalMs = Math.max(50, seconds(options.pollInterval, WAIT_DEFAULTS.pollInterval) * 1000);
	return {
		poll: {
			intervalMs,
			maxWaitMs: seconds(options.maxWait, WAIT_DEFAULTS.maxWait) * 1000,
			backoff: 1.5,
			maxIntervalMs: Math.max(intervalMs, 60_000),
		},
		onFailed: (options.onFailed ?? WAIT_DEFAULTS.onFailed) === 'output' ? 'output' : 'error',
		onTimeout: (options.onTimeout ?? WAIT_DEFAULTS.onTimeout) === 'output' ? 'output' : 'error',
	};
}

/** Reads an import id the way a user may give it (number or numeric text), or fails naming the item. */
export function parseImportId(context: IExecuteFunctions, value: unknown, itemIndex: number): number {
	const id = importIdFrom(value);
	if (id === undefined) {
		const shown =
			value === undefined || value === null || value === ''
				? 'empty'
				: `"${typeof value === 'object' ? JSON.stringify(value) : String(value)}"`;
		throw itemError(
			context,
			itemIndex,
			`the import ID is ${shown}, not a whole number`,
			'Use the importId that Upload Segment File (or Create or Update Segment in file mode) outputs, e.g. {{ $json.importId }}.',
		);
	}
	return id;
}

/**
 * Polls an import until it is completed or failed, or until the maximum wait has passed.
 * `giveUp` ends the wait early (another item has already stopped the node).
 */
export async function pollImport(
	context: IExecuteFunctions,
	target: FanPassTarget,
	importId: number,
	settings: PollSettings,
	giveUp?: () => boolean,
): Promise<PollOutcome> {
	const started = Date.now();
	let interval = settings.intervalMs;
	let polls = 0;
	for (;;) {
		const { status, correlationId } = await readImportStatus(context, target, importId);
		polls++;
		const waitedMs = Date.now() - started;
		context.logger.info(
			`FanPass import ${importId}: ${status.state}${status.percent === null || status.percent === undefined ? '' : ` (${status.percent}%)`} after poll ${polls}`,
			{ itemIndex: target.itemIndex },
		);
		if (isFinishedState(status.state)) return { status, correlationId, polls, waitedMs, timedOut: false };
		const left = settings.maxWaitMs - waitedMs;
		if (left <= 0) return { status, correlationId, polls, waitedMs, timedOut: true };
		await sleepUnlessCancelled(
			context,
			Math.min(interval, left),
			() =>
				new NodeOperationError(context.getNode(), `The wait for import ${importId} was cancelled`, {
					itemIndex: target.itemIndex,
				}),
			giveUp,
		);
		interval = Math.min(settings.maxIntervalMs, Math.round(interval * settings.backoff));
	}
}
