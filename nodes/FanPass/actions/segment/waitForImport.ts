import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { asNodeError, errorItem, itemError } from '../../helpers/itemErrors';
import { getImportStatus, parseImportId, pollImport, type PollOutcome } from '../../helpers/importStatus';
import { readWaitBehaviour, type WaitBehaviour } from '../../helpers/pollSettings';

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

/** Polls every item's import concurrently: ten imports take as long as the slowest, not the sum. */
export async function waitForImports(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	baseUrl: string,
): Promise<INodeExecutionData[]> {
	const settled = await Promise.allSettled(
		items.map(async (_, itemIndex) => {
			const importId = parseImportId(this, this.getNodeParameter('importId', itemIndex), itemIndex);
			const behaviour = readWaitBehaviour(this.getNodeParameter('options', itemIndex, {}) as IDataObject);
			const outcome = await pollImport(this, baseUrl, importId, itemIndex, behaviour.poll);
			return waitResult(this, importId, outcome, behaviour, itemIndex);
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
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const importId = parseImportId(this, this.getNodeParameter('importId', itemIndex), itemIndex);
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
