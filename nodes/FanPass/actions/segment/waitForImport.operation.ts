import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runWithConcurrency } from '../../helpers/concurrency';
import { showOnlyFor } from '../../helpers/displayOptions';
import { parseImportId, pollImport, readWaitBehaviour, type PollOutcome, type WaitBehaviour } from '../../helpers/importPolling';
import { failedItems, itemError } from '../../helpers/itemErrors';
import { OperationParameters } from '../../helpers/parameters';
import { isFinishedState } from '../../transport/client';
import { waitOptions } from './waitOptions.description';

/** How many imports are polled at once: 300 items must not mean 300 simultaneous requests. */
export const POLL_CONCURRENCY = 5;

export const importIdProperty: INodeProperties = {
	displayName: 'Import ID',
	name: 'importId',
	type: 'string',
	required: true,
	default: '={{ $json.importId }}',
	placeholder: 'e.g. 1042',
	description: 'The importId (firebase_imported_segment_id) that Upload Segment File outputs',
};

const properties: INodeProperties[] = [
	importIdProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: waitOptions(),
	},
];

export const description = showOnlyFor('segment', 'waitForImport', properties);

/** Turns a finished (or abandoned) poll into output, or into an error the user asked for. */
export function waitResult(
	context: IExecuteFunctions,
	importId: number,
	outcome: PollOutcome,
	behaviour: WaitBehaviour,
	itemIndex: number,
): IDataObject {
	const { status } = outcome;
	if (status.state === 'failed' && behaviour.onFailed === 'error') {
		throw itemError(
			context,
			itemIndex,
			`FanPass import ${importId} failed (${status.done} of ${status.total_users} users done)`,
			`correlationId ${outcome.correlationId}. Check the import log in the FanReach Portal, or set "If the Import Fails" to Output the Status.`,
		);
	}
	if (outcome.timedOut && behaviour.onTimeout === 'error') {
		throw itemError(
			context,
			itemIndex,
			`FanPass import ${importId} was still ${status.state} after ${Math.round(outcome.waitedMs / 1000)} s (${status.percent ?? '?'}% done)`,
			'Raise Max Wait, or set "If Still Running at Max Wait" to Output the Status and loop with a Wait node and an IF node.',
		);
	}
	return {
		importId,
		state: status.state,
		finished: isFinishedState(status.state),
		timedOut: outcome.timedOut,
		import_status: status,
		polls: outcome.polls,
		waitedMs: outcome.waitedMs,
		correlationId: outcome.correlationId,
	};
}

/**
 * Reads every item's import id before any request, so that a bad id stops the node before
 * anything is polled (or, with continueOnFail, becomes that item's error).
 */
export function readImportIds(
	context: IExecuteFunctions,
	params: OperationParameters,
	items: INodeExecutionData[],
): Array<{ importId: number } | { failed: INodeExecutionData }> {
	return items.map((_, itemIndex) => {
		try {
			return { importId: parseImportId(context, params.get('importId', itemIndex), itemIndex) };
		} catch (error) {
			return { failed: failedItems(context, error, [itemIndex]) };
		}
	});
}

/**
 * Polls the items' imports a few at a time: ten imports take about as long as the slowest.
 * Without continueOnFail the first failure stops the node at once, ending the other waits.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	baseUrl: string,
): Promise<INodeExecutionData[]> {
	const params = new OperationParameters(this, description);
	const entries = readImportIds(this, params, items);
	const output: INodeExecutionData[] = new Array(items.length);
	let stopping = false;
	const tasks = entries.map((entry, itemIndex) => async () => {
		if ('failed' in entry) {
			output[itemIndex] = entry.failed;
			return;
		}
		try {
			const behaviour = readWaitBehaviour(params.get('options', itemIndex) as IDataObject);
			const outcome = await pollImport(this, { baseUrl, itemIndex }, entry.importId, behaviour.poll, () => stopping);
			output[itemIndex] = { json: waitResult(this, entry.importId, outcome, behaviour, itemIndex), pairedItem: { item: itemIndex } };
		} catch (error) {
			if (!this.continueOnFail()) stopping = true;
			output[itemIndex] = failedItems(this, error, [itemIndex]);
		}
	});
	await runWithConcurrency(tasks, POLL_CONCURRENCY);
	return output;
}
