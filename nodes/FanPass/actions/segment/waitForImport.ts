import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { asNodeError, errorItem, itemError } from '../../helpers/itemErrors';
import { getImportStatus, parseImportId, pollImport, type PollOutcome } from '../../helpers/importStatus';
import { readWaitBehaviour, type WaitBehaviour } from '../../helpers/pollSettings';
import { readParameter } from '../../helpers/readParameter';

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
		finished: status.state === 'completed' || status.state === 'failed',
		timedOut: outcome.timedOut,
		import_status: status,
		polls: outcome.polls,
		waitedMs: outcome.waitedMs,
		correlationId: outcome.correlationId,
	};
}

type ParsedImportId = { importId: number } | { error: Error };

/**
 * Reads every item's import id before any request, so that a bad id stops the node before
 * anything is polled (or, with continueOnFail, becomes that item's error).
 */
function parseImportIds(context: IExecuteFunctions, items: INodeExecutionData[]): ParsedImportId[] {
	return items.map((_, itemIndex) => {
		try {
			return { importId: parseImportId(context, readParameter(context, 'importId', itemIndex), itemIndex) };
		} catch (error) {
			if (!context.continueOnFail()) throw asNodeError(context, error, itemIndex);
			return { error: error as Error };
		}
	});
}

/** Polls every item's import concurrently: ten imports take as long as the slowest, not the sum. */
export async function waitForImports(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	baseUrl: string,
): Promise<INodeExecutionData[]> {
	const parsed = parseImportIds(this, items);
	const settled = await Promise.allSettled(
		parsed.map(async (entry, itemIndex) => {
			if ('error' in entry) throw entry.error;
			const behaviour = readWaitBehaviour(this.getNodeParameter('options', itemIndex, {}) as IDataObject);
			const outcome = await pollImport(this, baseUrl, entry.importId, itemIndex, behaviour.poll);
			return waitResult(this, entry.importId, outcome, behaviour, itemIndex);
		}),
	);
	return settled.map((result, itemIndex) => {
		if (result.status === 'fulfilled') return { json: result.value, pairedItem: { item: itemIndex } };
		if (!this.continueOnFail()) throw asNodeError(this, result.reason, itemIndex);
		return errorItem(result.reason as Error, [itemIndex]);
	});
}

export async function getImportStatuses(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	baseUrl: string,
): Promise<INodeExecutionData[]> {
	const parsed = parseImportIds(this, items);
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const entry = parsed[itemIndex];
			if ('error' in entry) throw entry.error;
			const importId = entry.importId;
			const { status, correlationId } = await getImportStatus(this, baseUrl, importId, itemIndex);
			output.push({
				json: {
					importId,
					state: status.state,
					finished: status.state === 'completed' || status.state === 'failed',
					import_status: status,
					correlationId,
				},
				pairedItem: { item: itemIndex },
			});
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(this, error, itemIndex);
			output.push(errorItem(error as Error, [itemIndex]));
		}
	}
	return output;
}
