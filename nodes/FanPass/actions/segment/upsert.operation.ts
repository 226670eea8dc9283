import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { isSimplified, pick, simplifyProperty } from '../common/simplify.description';
import { showOnlyFor } from '../../helpers/displayOptions';
import { generatedSegmentFile } from '../../helpers/generatedSegmentFile';
import { readSegmentIdentity, readUserIds } from '../../helpers/itemFields';
import { describeItems, failedItems, itemError, pairedItems } from '../../helpers/itemErrors';
import { OperationParameters } from '../../helpers/parameters';
import { progressLog } from '../../helpers/progressLog';
import { segmentSyncTotals, sendUnlessUnchanged } from '../../helpers/segmentSync';
import { skipUnchangedOptions } from '../../helpers/skipUnchanged.description';
import { openMemory } from '../../helpers/syncMemory';
import { defaultCorrelationId, formatMb, uploadSegmentFile } from '../../helpers/segmentFile';
import { UniqueIds } from '../../helpers/uniqueIds';
import type { NormalisedIds } from '../../helpers/userIds';
import { sendSegmentIds, type FanPassTarget } from '../../transport/client';
import { segmentIdentityFields, sourceTypeName } from './segmentFields.description';

const properties: INodeProperties[] = [
	{
		displayName:
			'FanPass replaces a segment\'s whole member list on every call ("rinse and replace"). This node therefore sends all items with the same tag as one request.',
		name: 'rinseAndReplaceNotice',
		type: 'notice',
		default: '',
	},
	...segmentIdentityFields,
	{
		displayName: 'User IDs From',
		name: 'userIdSource',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Input Items (One or More IDs per Item)',
				value: 'items',
				description: 'Each input item gives its user ID(s), e.g. one CRM contact per item',
			},
			{
				name: 'A List',
				value: 'list',
				description: 'A comma or newline separated list, or an expression that returns an array',
			},
		],
		default: 'items',
		description: 'Where the members of the segment come from',
	},
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		required: true,
		default: '={{ $json.user_id }}',
		placeholder: 'e.g. {{ $json.ticketing_id }}',
		hint: 'Evaluated for every input item. An array gives several IDs; text is one ID, commas included.',
		description: 'The user ID of each input item, usually an expression that reads a field',
		displayOptions: { show: { userIdSource: ['items'] } },
	},
	{
		displayName: 'User IDs',
		name: 'userIdList',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		placeholder: 'e.g. 12345, 54321, 56435',
		hint: 'Separate IDs with commas or new lines, or use an expression that returns an array',
		description: 'The complete member list of the segment: IDs not in it are removed from the segment',
		displayOptions: { show: { userIdSource: ['list'] } },
	},
	simplifyProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Notes',
				name: 'notes',
				type: 'string',
				default: '',
				placeholder: 'e.g. Nightly CRM refresh',
				description: 'Shown in the FanReach Portal\'s import log, e.g. a batch ID',
			},
			{
				displayName: 'When the ID List Is Empty',
				name: 'emptyList',
				type: 'options',
				options: [
					{
						name: 'Stop With an Error',
						value: 'error',
						description: 'FanPass refuses an empty list; the segment is left as it is',
					},
					{
						name: 'Skip the Segment',
						value: 'skip',
						description: 'Send nothing for that tag and output an item that says it was skipped',
					},
				],
				default: 'error',
				description: 'What to do when a tag ends up with no user IDs',
			},
			{
				displayName: 'File Mode Threshold',
				name: 'fileModeThreshold',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 10000,
				description:
					'A segment with more user IDs than this is sent as one CSV file (FanPass\'s recommended mode for large segments) instead of a JSON list. The output then has an importId for Wait for Import.',
			},
			...skipUnchangedOptions('segment'),
		],
	},
];

export const description = showOnlyFor('segment', 'upsert', properties);

/** What Simplify keeps: enough to act on, and to see that nothing was lost. */
const SIMPLE_FIELDS = ['tag', 'userCount', 'mode', 'importId', 'skipped', 'sync', 'reason', 'warnings', 'correlationId'] as const;

interface ItemSegment {
	tag: string;
	title: string;
	sourceType: number;
	notes: string;
	emptyList: 'error' | 'skip';
	fileModeThreshold: number;
}

interface SegmentGroup extends ItemSegment {
	itemIndexes: number[];
	/** Items that gave only empty values: reported, so that no item is dropped silently. */
	itemsWithoutIds: number[];
	ids: UniqueIds;
	received: number;
	empty: number;
}

function readItem(
	context: IExecuteFunctions,
	params: OperationParameters,
	itemIndex: number,
): ItemSegment & NormalisedIds {
	const fromList = params.get('userIdSource', itemIndex) === 'list';
	const threshold = Math.floor(Number(params.option('options', 'fileModeThreshold', itemIndex)));
	const identity = readSegmentIdentity(context, params, itemIndex);
	const userIds = readUserIds(context, params, itemIndex, fromList ? 'userIdList' : 'userId', fromList);
	// one literal, no spreads: this runs once per item (100,000 items is a usual CRM export)
	return {
		tag: identity.tag,
		title: identity.title,
		sourceType: identity.sourceType,
		notes: params.text('options.notes', itemIndex),
		emptyList: params.option('options', 'emptyList', itemIndex) === 'skip' ? 'skip' : 'error',
		fileModeThreshold: threshold >= 1 ? threshold : Number(params.defaultOf('options.fileModeThreshold')),
		ids: userIds.ids,
		empty: userIds.empty,
	};
}

function conflictWith(group: SegmentGroup, segment: ItemSegment): string | undefined {
	const first = group.itemIndexes[0];
	if (group.title !== segment.title) {
		return `gives segment "${segment.tag}" the title "${segment.title}", but item ${first} gave it "${group.title}"; one segment has one title`;
	}
	if (group.sourceType !== segment.sourceType) {
		return `gives segment "${segment.tag}" source type ${segment.sourceType}, but item ${first} gave it ${group.sourceType}`;
	}
	if (group.notes !== segment.notes) {
		return `gives segment "${segment.tag}" the notes "${segment.notes}", but item ${first} gave "${group.notes}"`;
	}
	return undefined;
}

/** Merges items by tag: FanPass replaces a segment on every call, so one tag is one request. */
function groupByTag(
	context: IExecuteFunctions,
	params: OperationParameters,
	items: INodeExecutionData[],
	output: INodeExecutionData[],
): SegmentGroup[] {
	const groups = new Map<string, SegmentGroup>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const segment = readItem(context, params, itemIndex);
			let target = groups.get(segment.tag);
			if (target) {
				const conflict = conflictWith(target, segment);
				if (conflict) throw itemError(context, itemIndex, conflict);
			} else {
				target = {
					tag: segment.tag,
					title: segment.title,
					sourceType: segment.sourceType,
					notes: segment.notes,
					emptyList: segment.emptyList,
					fileModeThreshold: segment.fileModeThreshold,
					itemIndexes: [],
					itemsWithoutIds: [],
					ids: new UniqueIds(),
					received: 0,
					empty: 0,
				};
				groups.set(segment.tag, target);
			}
			const { ids, empty } = segment;
			target.itemIndexes.push(itemIndex);
			if (ids.length === 0) target.itemsWithoutIds.push(itemIndex);
			target.received += ids.length + empty;
			target.empty += empty;
			target.ids.add(ids);
		} catch (error) {
			output.push(failedItems(context, error, [itemIndex]));
		}
	}
	return [...groups.values()];
}

/** FanPass recommends file mode for large segments; one file keeps rinse-and-replace whole. */
async function sendAsFile(context: IExecuteFunctions, target: FanPassTarget, group: SegmentGroup): Promise<IDataObject> {
	const { file, zippedFrom } = await generatedSegmentFile(context, target.itemIndex, {
		tag: group.tag,
		fileName: `${group.tag}.csv`,
		rows: { header: ['user_id'], ids: group.ids },
		idCount: group.ids.size,
	});
	const result = await uploadSegmentFile(context, target, {
		title: group.title,
		tag: group.tag,
		sourceType: group.sourceType,
		notes: group.notes,
		dryRun: false,
		correlationId: defaultCorrelationId(context, group.tag),
		file,
	});
	return {
		...result,
		...(zippedFrom ? { zippedFrom } : {}),
		fileModeReason: `${group.ids.size} user IDs are over the File Mode Threshold (${group.fileModeThreshold}), so they were sent as one CSV file${zippedFrom ? ` (zipped: the CSV is ${formatMb(zippedFrom.fileSize)}, over FanPass's 10 MB per file)` : ''}; use Wait for Import with the importId to follow the import`,
	};
}

async function sendGroup(
	context: IExecuteFunctions,
	baseUrl: string,
	group: SegmentGroup,
	summary: IDataObject,
): Promise<IDataObject> {
	const target: FanPassTarget = { baseUrl, itemIndex: group.itemIndexes[0] };
	if (group.ids.size === 0) {
		const problem = `segment "${group.tag}" has no user IDs (${describeItems(group.itemIndexes)} gave ${group.empty} empty value${group.empty === 1 ? '' : 's'}); FanPass refuses an empty list, so the segment was left unchanged`;
		if (group.emptyList === 'skip') return { ...summary, skipped: true, reason: problem };
		throw itemError(
			context,
			target.itemIndex,
			problem,
			'Set Options → When the ID List Is Empty → Skip the Segment to carry on instead.',
		);
	}
	if (group.ids.size > group.fileModeThreshold) return { ...summary, ...(await sendAsFile(context, target, group)) };
	const envelope = await sendSegmentIds(context, target, {
		title: group.title,
		tag: group.tag,
		sourceType: group.sourceType,
		notes: group.notes,
		userIds: [...group.ids],
	});
	const result: IDataObject = { ...summary, mode: 'json', correlationId: envelope.correlationId, messages: envelope.messages };
	const warnings = [...((summary.warnings as string[] | undefined) ?? []), ...envelope.errors];
	if (warnings.length > 0) result.warnings = warnings;
	return result;
}

function summarise(group: SegmentGroup): IDataObject {
	const summary: IDataObject = {
		tag: group.tag,
		title: group.title,
		sourceType: group.sourceType,
		sourceTypeName: sourceTypeName(group.sourceType),
		userCount: group.ids.size,
		itemCount: group.itemIndexes.length,
		idsReceived: group.received,
		duplicatesRemoved: group.ids.duplicates,
		emptyRemoved: group.empty,
		itemsWithoutIds: group.itemsWithoutIds,
	};
	if (group.itemsWithoutIds.length > 0 && group.ids.size > 0) {
		summary.warnings = [
			`${describeItems(group.itemsWithoutIds)} gave no user ID (an empty value, or an expression that found nothing), so added nobody to segment "${group.tag}"`,
		];
	}
	return summary;
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	baseUrl: string,
): Promise<INodeExecutionData[]> {
	const params = new OperationParameters(this, description);
	const simplify = isSimplified(this, () => params.get('simplify', 0));
	const output: INodeExecutionData[] = [];
	const groups = groupByTag(this, params, items, output);
	const memory = await openMemory(this, params, 'segments', baseUrl);
	memory.admit(groups.map((group) => group.tag));
	const progress = progressLog(this, 'Create or Update Segment', groups.length);
	const results: IDataObject[] = [];
	try {
		for (const group of groups) {
			try {
				const send = async (summary: IDataObject) => await sendGroup(this, baseUrl, group, summary);
				const json = await sendUnlessUnchanged(this, memory, baseUrl, group, summarise(group), send);
				results.push(json);
				output.push({ json: simplify ? (pick(json, SIMPLE_FIELDS) as IDataObject) : json, pairedItem: pairedItems(group.itemIndexes) });
			} catch (error) {
				output.push(failedItems(this, error, group.itemIndexes, { tag: group.tag }));
			} finally {
				progress();
			}
		}
	} finally {
		await memory.save();
	}
	if (memory.enabled && output.length > 0) output[0].json.syncTotals = segmentSyncTotals(this, memory, results);
	return output;
}
