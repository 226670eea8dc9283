import {
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type IPairedItemData,
} from 'n8n-workflow';

/** An error about one input item, numbered the way the n8n editor shows items. */
export function itemError(
	context: IExecuteFunctions,
	itemIndex: number,
	problem: string,
	description?: string,
): NodeOperationError {
	return new NodeOperationError(context.getNode(), `Item ${itemIndex}: ${problem}`, {
		itemIndex,
		description,
	});
}

/** The output item continueOnFail() gives for an error, paired to exactly the items it hit. */
export function errorItem(error: Error, itemIndexes: number[]): INodeExecutionData {
	const json: INodeExecutionData['json'] = { error: error.message };
	const description = (error as NodeApiError | NodeOperationError).description;
	if (description) json.errorDescription = description;
	if (error instanceof NodeApiError && error.httpCode) json.httpCode = error.httpCode;
	const context = (error as NodeApiError).context;
	if (context && typeof context.correlationId === 'string') json.correlationId = context.correlationId;
	return { json, pairedItem: pairedItems(itemIndexes) };
}

export function pairedItems(itemIndexes: number[]): IPairedItemData | IPairedItemData[] {
	return itemIndexes.length === 1 ? { item: itemIndexes[0] } : itemIndexes.map((item) => ({ item }));
}

/** Describes a list of item indexes briefly: "item 3" or "items 0, 2, 5 … (12 items)". */
export function describeItems(itemIndexes: number[]): string {
	if (itemIndexes.length === 1) return `item ${itemIndexes[0]}`;
	const shown = itemIndexes.slice(0, 10).join(', ');
	return itemIndexes.length > 10 ? `items ${shown} … (${itemIndexes.length} items)` : `items ${shown}`;
}

/** Keeps n8n's own errors as they are and wraps anything else, so every error names its item. */
export function asNodeError(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

/**
 * The one continueOnFail guard every action uses: without continueOnFail the error stops the
 * node (naming the first item it hit); with it, the error becomes an output item paired to
 * exactly the items it hit, with `extra` fields (such as the segment tag) to say what failed.
 */
export function failedItems(
	context: IExecuteFunctions,
	error: unknown,
	itemIndexes: number[],
	extra: INodeExecutionData['json'] = {},
): INodeExecutionData {
	if (!context.continueOnFail()) throw asNodeError(context, error, itemIndexes[0]);
	const failed = errorItem(error as Error, itemIndexes);
	Object.assign(failed.json, extra);
	return failed;
}
