import { jsonParse, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { runWithConcurrency } from '../../helpers/concurrency';
import { asNodeError, errorItem, itemError } from '../../helpers/itemErrors';
import { readUserIds } from '../../helpers/itemFields';
import {
	checkUserProperties,
	propertySetKey,
	type PropertyRules,
	type PropertyValue,
} from '../../helpers/userProperties';
import { fanPassRequest } from '../../transport';
import type { FanPassEnvelope } from '../../transport/envelope';
import { readParameter } from '../../helpers/readParameter';

interface ItemUpdate {
	itemIndex: number;
	userIds: string[];
	properties: Record<string, PropertyValue>;
	warnings: string[];
}

interface PropertyGroup {
	properties: Record<string, PropertyValue>;
	updates: ItemUpdate[];
	batchSize: number;
}

interface BatchResult {
	envelope?: FanPassEnvelope;
	error?: Error;
}

const SUCCESS_MESSAGE = /^Successfully updated/i;

function readProperties(context: IExecuteFunctions, itemIndex: number): IDataObject {
	if (context.getNodeParameter('propertiesInput', itemIndex, 'fields') === 'json') {
		let value = readParameter(context, 'propertiesJson', itemIndex, {});
		if (typeof value === 'string') {
			try {
				value = jsonParse(value);
			} catch {
				throw itemError(context, itemIndex, 'Properties (JSON) is not valid JSON', 'Write an object such as {"loyalty_tier": "gold"}.');
			}
		}
		if (value === null || typeof value !== 'object' || Array.isArray(value)) {
			throw itemError(context, itemIndex, 'Properties (JSON) must be an object of names and values, such as {"loyalty_tier": "gold"}');
		}
		return value as IDataObject;
	}
	const pairs = (readParameter(context, 'properties.property', itemIndex, []) as Array<{ name?: string; value?: unknown }>) ?? [];
	const properties: IDataObject = {};
	for (const pair of pairs) {
		const name = String(pair.name ?? '');
		if (name.trim() in properties) throw itemError(context, itemIndex, `property "${name.trim()}" is given twice`);
		properties[name] = pair.value as IDataObject[string];
	}
	return properties;
}

function readItem(context: IExecuteFunctions, itemIndex: number, rules: PropertyRules): ItemUpdate {
	const userIds = [...new Set(readUserIds(context, itemIndex, 'userId', true).ids)];
	if (userIds.length === 0) throw itemError(context, itemIndex, 'the User ID is empty; there is no user to update');

	const input = readProperties(context, itemIndex);
	if (Object.keys(input).length === 0) {
		throw itemError(context, itemIndex, 'there are no properties to send; add at least one name and value');
	}
	const check = checkUserProperties(input, rules);
	if (check.errors.length > 0) {
		throw itemError(
			context,
			itemIndex,
			check.errors.join('; '),
			rules.invalidKeys === 'error'
				? 'FanPass would ignore or refuse these. Fix the names or values, or set Options → Invalid Property Names → Skip With a Warning.'
				: undefined,
		);
	}
	if (Object.keys(check.properties).length === 0) {
		throw itemError(context, itemIndex, `no property is left to send: ${check.skipped.join('; ')}`);
	}
	return { itemIndex, userIds, properties: check.properties, warnings: [...check.skipped, ...check.truncated] };
}

function chunk<T>(values: T[], size: number): T[][] {
	const chunks: T[][] = [];
	for (let start = 0; start < values.length; start += size) chunks.push(values.slice(start, start + size));
	return chunks;
}

/**
 * FanPass applies one property set to many users, so items that send the same properties share
 * requests: the number of requests is the number of distinct property sets (times the batches
 * each needs), not the number of items.
 */
export async function updateUsers(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	baseUrl: string,
): Promise<INodeExecutionData[]> {
	const results: Array<INodeExecutionData | undefined> = new Array(items.length);
	const groups = new Map<string, PropertyGroup>();
	const firstOptions = this.getNodeParameter('options', 0, {}) as IDataObject;
	const concurrency = Math.max(1, Math.floor(Number(firstOptions.concurrency ?? 4)) || 4);

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			const rules: PropertyRules = {
				invalidKeys: options.invalidKeys === 'skip' ? 'skip' : 'error',
				longValues: options.longValues === 'error' ? 'error' : 'truncate',
			};
			const batchSize = Math.max(1, Math.floor(Number(options.batchSize ?? 1000)) || 1000);
			const update = readItem(this, itemIndex, rules);
			const key = `${batchSize}:${propertySetKey(update.properties)}`;
			const group = groups.get(key) ?? { properties: update.properties, updates: [], batchSize };
			group.updates.push(update);
			groups.set(key, group);
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(this, error, itemIndex);
			results[itemIndex] = errorItem(error as Error, [itemIndex]);
		}
	}

	const plans = [...groups.values()].map((group) => {
		const firstItemOf = new Map<string, number>();
		for (const update of group.updates) {
			for (const id of update.userIds) if (!firstItemOf.has(id)) firstItemOf.set(id, update.itemIndex);
		}
		const batches = chunk([...firstItemOf.keys()], group.batchSize);
		const batchOf = new Map<string, number>();
		batches.forEach((batch, index) => batch.forEach((id) => batchOf.set(id, index)));
		return { group, batches, batchOf, firstItemOf, outcomes: [] as BatchResult[] };
	});

	const tasks = plans.flatMap((plan) =>
		plan.batches.map((batch, index) => async () => {
			const itemIndex = plan.firstItemOf.get(batch[0]) as number;
			try {
				const envelope = await fanPassRequest(this, {
					baseUrl,
					endpoint: '/api/v1/update_user',
					body: { userIds: batch, userProperties: plan.group.properties },
					itemIndex,
				});
				plan.outcomes[index] = { envelope };
			} catch (error) {
				if (!this.continueOnFail()) throw asNodeError(this, error, itemIndex);
				plan.outcomes[index] = { error: error as Error };
			}
		}),
	);
	await runWithConcurrency(tasks, concurrency);

	for (const { group, batchOf, outcomes } of plans) {
		for (const update of group.updates) {
			const mine = [...new Set(update.userIds.map((id) => batchOf.get(id) as number))].map((index) => outcomes[index]);
			const failure = mine.find((outcome) => outcome.error);
			if (failure?.error) {
				const failed = errorItem(failure.error, [update.itemIndex]);
				failed.json.userIds = update.userIds;
				failed.json.userProperties = update.properties;
				if (mine.some((outcome) => outcome.envelope)) {
					failed.json.partial = 'Some of this item\'s users were updated in another request; the error applies to the rest.';
				}
				results[update.itemIndex] = failed;
				continue;
			}
			const envelopes = mine.map((outcome) => outcome.envelope as FanPassEnvelope);
			const fanPassMessages = [...new Set(envelopes.flatMap((envelope) => envelope.messages))];
			const correlationIds = envelopes.map((envelope) => envelope.correlationId);
			results[update.itemIndex] = {
				json: {
					userIds: update.userIds,
					userProperties: update.properties,
					warnings: [...update.warnings, ...fanPassMessages.filter((message) => !SUCCESS_MESSAGE.test(message))],
					messages: fanPassMessages,
					correlationId: correlationIds[0],
					correlationIds,
				},
				pairedItem: { item: update.itemIndex },
			};
		}
	}
	return results.filter((result): result is INodeExecutionData => result !== undefined);
}
