import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { showOnlyFor } from '../../helpers/displayOptions';
import { failedItems } from '../../helpers/itemErrors';
import { OperationParameters } from '../../helpers/parameters';
import { isFinishedState, readImportStatus } from '../../transport/client';
import { importIdProperty, readImportIds } from './waitForImport.operation';

export const description = showOnlyFor('segment', 'getImportStatus', [importIdProperty]);

/** One status read per item, without waiting. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	baseUrl: string,
): Promise<INodeExecutionData[]> {
	const params = new OperationParameters(this, description);
	const output: INodeExecutionData[] = [];
	const entries = readImportIds(this, params, items);
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const entry = entries[itemIndex];
		if ('failed' in entry) {
			output.push(entry.failed);
			continue;
		}
		try {
			const { status, correlationId } = await readImportStatus(this, { baseUrl, itemIndex }, entry.importId);
			output.push({
				json: {
					importId: entry.importId,
					state: status.state,
					finished: isFinishedState(status.state),
					import_status: status,
					correlationId,
				},
				pairedItem: { item: itemIndex },
			});
		} catch (error) {
			output.push(failedItems(this, error, [itemIndex]));
		}
	}
	return output;
}
