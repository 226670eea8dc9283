import {
	jsonParse,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { requestPolicy } from '../../transport';
import { updateUsers, type FanPassTarget } from '../../transport/client';
import type { FanPassEnvelope } from '../../transport/envelope';
import { runWithConcurrency } from '../../helpers/concurrency';
import { showOnlyFor } from '../../helpers/displayOptions';
import { readUserIds } from '../../helpers/itemFields';
import { failedItems, itemError } from '../../helpers/itemErrors';
import { OperationParameters } from '../../helpers/parameters';
import { progressLog } from '../../helpers/progressLog';
import { skipUnchangedOptions } from '../../helpers/skipUnchanged.description';
import { openMemory } from '../../helpers/syncMemory';
import { leaveOutUnchanged, rememberUsers, userSyncFields, userSyncTotals } from '../../helpers/userSync';
import {
	checkUserProperties,
	hasOwn,
	propertySetKey,
	setOwn,
	type PropertyRules,
	type PropertyValue,
} from '../../helpers/userProperties';

const properties: INodeProperties[] = [
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		required: true,
		default: '={{ $json.user_id }}',
		placeholder: 'e.g. {{ $json.ticketing_id }}',
		hint: 'Evaluated for every input item. An array, or a list separated by commas or new lines, updates several users.',
		description: 'The FanReach user ID(s) to update',
	},
	{
		displayName: 'Properties From',
		name: 'propertiesInput',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Fields Below', value: 'fields', description: 'Name/value pairs entered one by one' },
			{ name: 'JSON', value: 'json', description: 'An object of name/value pairs, e.g. an attributes field of the input item' },
		],
		default: 'fields',
		description: 'How to give the property names and values',
	},
	{
		displayName: 'Properties',
		name: 'properties',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Property',
		default: {},
		description:
			'Platform user property names (e.g. sth) or custom attributes registered in the FanReach Portal. Names up to 24 characters, values up to 36.',
		displayOptions: { show: { propertiesInput: ['fields'] } },
		options: [
			{
				displayName: 'Property',
				name: 'property',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'e.g. loyalty_tier',
						description: 'Property name, at most 24 characters',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'e.g. gold',
						description: 'Property value; FanPass keeps at most 36 characters',
					},
				],
			},
		],
	},
	{
		displayName: 'Properties (JSON)',
		name: 'propertiesJson',
		type: 'json',
		required: true,
		default: '{\n  "loyalty_tier": "gold"\n}',
		hint: 'For example {{ $json.attributes }}, or a literal object',
		description:
			'An object of property names and values. Values must be text, numbers or true/false; nested objects and lists are refused.',
		displayOptions: { show: { propertiesInput: ['json'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 10000 },
				default: 1000,
				description:
					'Users that end up with identical properties are sent together; this caps how many user IDs go in one request',
			},
			{
				displayName: 'Concurrent Requests',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 20 },
				default: 4,
				description: 'How many update requests may be in flight at once when there are many distinct property sets',
			},
			{
				displayName: 'Invalid Property Names',
				name: 'invalidKeys',
				type: 'options',
				options: [
					{
						name: 'Stop With an Error',
						value: 'error',
						description: 'Names FanPass would ignore (over 24 characters, or reserved like user_id) fail the item',
					},
					{
						name: 'Skip With a Warning',
						value: 'skip',
						description: 'Leave those names out, send the rest and list what was skipped in the output',
					},
				],
				default: 'error',
				description: 'What to do with property names FanPass would silently ignore',
			},
			{
				displayName: 'Values Over 36 Characters',
				name: 'longValues',
				type: 'options',
				options: [
					{
						name: 'Send and Warn',
						value: 'truncate',
						description: 'FanPass keeps the first 36 characters; the output lists each truncated value',
					},
					{ name: 'Stop With an Error', value: 'error', description: 'Fail the item instead' },
				],
				default: 'truncate',
				description: 'What to do with values FanPass would cut to 36 characters',
			},
			...skipUnchangedOptions('users'),
		],
	},
];

export const description = showOnlyFor('user', 'update', properties);

interface ItemUpdate {
	itemIndex: number;
	userIds: string[];
	properties: Record<string, PropertyValue>;
	warnings: string[];
}

interface Batch {
	userIds: string[];
	properties: Record<string, PropertyValue>;
	outcome?: { envelope?: FanPassEnvelope; error?: Error };
}

const SUCCESS_MESSAGE = /^Successfully updated/i;

function readProperties(context: IExecuteFunctions, params: OperationParameters, itemIndex: number): IDataObject {
	if (params.get('propertiesInput', itemIndex) === 'json') {
		let value = params.get('propertiesJson', itemIndex);
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
	const pairs = (params.get('properties.property', itemIndex) as Array<{ name?: string; value?: unknown }>) ?? [];
	const properties: IDataObject = {};
	for (const pair of pairs) {
		const name = String(pair.name ?? '');
		if (hasOwn(properties, name.trim())) throw itemError(context, itemIndex, `property "${name.trim()}" is given twice`);
		setOwn(properties, name, pair.value as IDataObject[string]);
	}
	return properties;
}

function readItem(context: IExecuteFunctions, params: OperationParameters, itemIndex: number): ItemUpdate {
	const rules: PropertyRules = {
		invalidKeys: params.option('options', 'invalidKeys', itemIndex) === 'skip' ? 'skip' : 'error',
		longValues: params.option('options', 'longValues', itemIndex) === 'error' ? 'error' : 'truncate',
	};
	const userIds = [...new Set(readUserIds(context, params, itemIndex, 'userId', true).ids)];
	if (userIds.length === 0) throw itemError(context, itemIndex, 'the User ID is empty; there is no user to update');

	const input = readProperties(context, params, itemIndex);
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

/**
 * Last write wins: each user's properties are merged in item order, so a later item's value for a
 * property replaces an earlier one's, whatever retries and concurrency later do to the requests.
 * Returns each user's final properties and, per item, the values a later item replaced.
 */
function mergeByUser(updates: ItemUpdate[]) {
	const finalOf = new Map<string, Record<string, PropertyValue>>();
	const firstItemOf = new Map<string, number>();
	// who set each property, kept only for users a second item touches (most users have one item)
	const setBy = new Map<string, Map<string, number>>();
	const replaced = new Map<number, string[]>();
	for (const update of updates) {
		for (const userId of update.userIds) {
			const held = finalOf.get(userId);
			if (held === undefined) {
				// the item's own properties, until a later item changes this user
				finalOf.set(userId, update.properties);
				firstItemOf.set(userId, update.itemIndex);
				continue;
			}
			let writers = setBy.get(userId);
			let merged = held;
			if (!writers) {
				const first = firstItemOf.get(userId) as number;
				writers = new Map(Object.keys(held).map((key) => [key, first]));
				merged = {};
				for (const [key, value] of Object.entries(held)) setOwn(merged, key, value);
				setBy.set(userId, writers);
				finalOf.set(userId, merged);
			}
			for (const [key, value] of Object.entries(update.properties)) {
				const earlier = writers.get(key);
				if (earlier !== undefined && earlier !== update.itemIndex && merged[key] !== value) {
					const notes = replaced.get(earlier) ?? [];
					notes.push(`property "${key}" of user ${userId} was then set by item ${update.itemIndex}, which wins`);
					replaced.set(earlier, notes);
				}
				setOwn(merged, key, value);
				writers.set(key, update.itemIndex);
			}
		}
	}
	return { finalOf, firstItemOf, replaced };
}

/** Users with the same final properties share requests, up to Batch Size user IDs each. */
function planBatches(finalOf: Map<string, Record<string, PropertyValue>>, batchSize: number) {
	const bySet = new Map<string, { properties: Record<string, PropertyValue>; userIds: string[] }>();
	for (const [userId, properties] of finalOf) {
		const key = propertySetKey(properties);
		const group = bySet.get(key) ?? { properties, userIds: [] };
		group.userIds.push(userId);
		bySet.set(key, group);
	}
	const batches: Batch[] = [];
	const batchOf = new Map<string, Batch>();
	for (const group of bySet.values()) {
		for (let start = 0; start < group.userIds.length; start += batchSize) {
			const batch: Batch = { userIds: group.userIds.slice(start, start + batchSize), properties: group.properties };
			batches.push(batch);
			for (const userId of batch.userIds) batchOf.set(userId, batch);
		}
	}
	return { batches, batchOf };
}

/** The batches that carried an item's users (none for users skipped as unchanged). */
function batchesOf(userIds: string[], batchOf: Map<string, Batch>): Batch[] {
	if (userIds.length === 1) {
		const batch = batchOf.get(userIds[0]);
		return batch ? [batch] : [];
	}
	return [...new Set(userIds.map((id) => batchOf.get(id)))].filter((batch): batch is Batch => batch !== undefined);
}

const distinct = <T>(values: T[]): T[] => (values.length < 2 ? values : [...new Set(values)]);

function itemOutput(update: ItemUpdate, mine: Batch[], replaced: string[] | undefined): INodeExecutionData {
	const envelopes = mine.map((batch) => batch.outcome?.envelope as FanPassEnvelope);
	const fanPassMessages = distinct(envelopes.flatMap((envelope) => envelope.messages));
	const fanPassErrors = distinct(envelopes.flatMap((envelope) => envelope.errors));
	const correlationIds = distinct(envelopes.map((envelope) => envelope.correlationId));
	return {
		json: {
			userIds: update.userIds,
			userProperties: update.properties,
			warnings: [
				...update.warnings,
				...(replaced ?? []),
				...fanPassErrors,
				...fanPassMessages.filter((message) => !SUCCESS_MESSAGE.test(message)),
			],
			messages: fanPassMessages,
			correlationId: correlationIds[0],
			correlationIds,
		},
		pairedItem: { item: update.itemIndex },
	};
}

/**
 * FanPass applies one property set to many users, so users that end with the same properties
 * share requests: the number of requests is the number of distinct final property sets (times
 * the batches each needs), not the number of items.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	baseUrl: string,
): Promise<INodeExecutionData[]> {
	const params = new OperationParameters(this, description);
	const results: Array<INodeExecutionData | undefined> = new Array(items.length);
	const updates: ItemUpdate[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			updates.push(readItem(this, params, itemIndex));
		} catch (error) {
			results[itemIndex] = failedItems(this, error, [itemIndex]);
		}
	}

	const whole = (name: 'batchSize' | 'concurrency') => {
		const value = Math.floor(Number(params.option('options', name, 0)));
		return value >= 1 ? value : Number(params.defaultOf(`options.${name}`));
	};
	const { finalOf, firstItemOf, replaced } = mergeByUser(updates);
	const memory = await openMemory(this, params, 'users', baseUrl);
	const { toSend, skipped } = leaveOutUnchanged(memory, finalOf);
	const { batches, batchOf } = planBatches(toSend, whole('batchSize'));
	const progress = progressLog(this, 'Update User', batches.length);
	const policy = requestPolicy(this, 0);

	const tasks = batches.map((batch) => async () => {
		const itemIndex = firstItemOf.get(batch.userIds[0]) as number;
		const target: FanPassTarget = { baseUrl, itemIndex, policy };
		try {
			batch.outcome = { envelope: await updateUsers(this, target, { userIds: batch.userIds, userProperties: batch.properties }) };
			rememberUsers(memory, batch.userIds, batch.properties, batch.outcome.envelope as FanPassEnvelope);
		} catch (error) {
			failedItems(this, error, [itemIndex]);
			batch.outcome = { error: error as Error };
		} finally {
			progress();
		}
	});
	try {
		await runWithConcurrency(tasks, whole('concurrency'));
	} finally {
		await memory.save();
	}

	for (const update of updates) {
		const mine = batchesOf(update.userIds, batchOf);
		const failure = mine.find((batch) => batch.outcome?.error)?.outcome?.error;
		if (!failure) {
			results[update.itemIndex] = itemOutput(update, mine, replaced.get(update.itemIndex));
			if (memory.enabled) Object.assign(results[update.itemIndex]?.json ?? {}, userSyncFields(update.userIds, skipped));
			continue;
		}
		const extra: IDataObject = { userIds: update.userIds, userProperties: update.properties };
		if (mine.some((batch) => batch.outcome?.envelope)) {
			extra.partial = 'Some of this item\'s users were updated in another request; the error applies to the rest.';
		}
		results[update.itemIndex] = failedItems(this, failure, [update.itemIndex], extra);
	}
	const output = results.filter((result): result is INodeExecutionData => result !== undefined);
	if (memory.enabled && output.length > 0) {
		output[0].json.syncTotals = userSyncTotals(this, memory, finalOf.size, skipped.size, batches.length);
	}
	return output;
}
