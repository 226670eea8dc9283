import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { SOURCE_TYPE_OPTIONS } from '../../descriptions/SegmentDescription';
import { asNodeError, describeItems, errorItem, itemError, pairedItems } from '../../helpers/itemErrors';
import { buildCsv } from '../../helpers/csv';
import { defaultCorrelationId, uploadSegmentFile } from '../../helpers/segmentFile';
import { readSegmentFields, readUserIds } from '../../helpers/itemFields';
import { addUnique, type NormalisedIds } from '../../helpers/userIds';
import { fanPassRequest } from '../../transport';

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
	ids: Set<string>;
	received: number;
	duplicates: number;
	empty: number;
}

export const DEFAULT_FILE_MODE_THRESHOLD = 10000;

const sourceTypeName = (value: number) =>
	SOURCE_TYPE_OPTIONS.find((option) => option.value === value)?.name ?? String(value);

function readItem(context: IExecuteFunctions, itemIndex: number): ItemSegment & NormalisedIds {
	const { tag, title, sourceType, options } = readSegmentFields(context, itemIndex);
	const fromList = context.getNodeParameter('userIdSource', itemIndex, 'items') === 'list';
	return {
		tag,
		title,
		sourceType,
		notes: String(options.notes ?? ''),
		emptyList: options.emptyList === 'skip' ? 'skip' : 'error',
		fileModeThreshold: Math.max(1, Number(options.fileModeThreshold ?? DEFAULT_FILE_MODE_THRESHOLD) || DEFAULT_FILE_MODE_THRESHOLD),
		...readUserIds(context, itemIndex, fromList ? 'userIdList' : 'userId', fromList),
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

/** FanPass recommends file mode for large segments; one file keeps rinse-and-replace whole. */
async function sendAsFile(context: IExecuteFunctions, baseUrl: string, group: SegmentGroup): Promise<IDataObject> {
	const data = buildCsv([['user_id'], ...[...group.ids].map((id) => [id])]);
	const result = await uploadSegmentFile(
		context,
		baseUrl,
		{
			title: group.title,
			tag: group.tag,
			sourceType: group.sourceType,
			notes: group.notes,
			dryRun: false,
			correlationId: defaultCorrelationId(context, group.tag),
			file: { fileName: `${group.tag}.csv`, mimeType: 'text/csv', data },
		},
		group.itemIndexes[0],
	);
	return {
		...result,
		fileModeReason: `${group.ids.size} user IDs are over the File Mode Threshold (${group.fileModeThreshold}), so they were sent as one CSV file; use Wait for Import with the importId to follow the import`,
	};
}

/**
 * FanPass replaces a segment's members on every call, so all items that resolve to the same
 * tag are merged into one request; a request per item would leave only the last item's users.
 */
export async function upsertSegments(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	baseUrl: string,
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	const groups = new Map<string, SegmentGroup>();

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const segment = readItem(this, itemIndex);
			const group = groups.get(segment.tag);
			if (group) {
				const conflict = conflictWith(group, segment);
				if (conflict) throw itemError(this, itemIndex, conflict);
			}
			const { ids, empty, ...fields } = segment;
			const target = group ?? { ...fields, itemIndexes: [], itemsWithoutIds: [], ids: new Set<string>(), received: 0, duplicates: 0, empty: 0 };
			groups.set(segment.tag, target);
			target.itemIndexes.push(itemIndex);
			if (ids.length === 0) target.itemsWithoutIds.push(itemIndex);
			target.received += ids.length + empty;
			target.empty += empty;
			target.duplicates += addUnique(target.ids, ids);
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(this, error, itemIndex);
			output.push(errorItem(error as Error, [itemIndex]));
		}
	}

	for (const group of groups.values()) {
		const summary: IDataObject = {
			tag: group.tag,
			title: group.title,
			sourceType: group.sourceType,
			sourceTypeName: sourceTypeName(group.sourceType),
			userCount: group.ids.size,
			itemCount: group.itemIndexes.length,
			idsReceived: group.received,
			duplicatesRemoved: group.duplicates,
			emptyRemoved: group.empty,
			itemsWithoutIds: group.itemsWithoutIds,
		};
		if (group.itemsWithoutIds.length > 0 && group.ids.size > 0) {
			summary.warnings = [
				`${describeItems(group.itemsWithoutIds)} gave no user ID (an empty value, or an expression that found nothing), so added nobody to segment "${group.tag}"`,
			];
		}
		try {
			if (group.ids.size === 0) {
				const problem = `segment "${group.tag}" has no user IDs (${describeItems(group.itemIndexes)} gave ${group.empty} empty value${group.empty === 1 ? '' : 's'}); FanPass refuses an empty list, so the segment was left unchanged`;
				if (group.emptyList === 'skip') {
					output.push({
						json: { ...summary, skipped: true, reason: problem },
						pairedItem: pairedItems(group.itemIndexes),
					});
					continue;
				}
				throw itemError(this, group.itemIndexes[0], problem, 'Set Options → When the ID List Is Empty → Skip the Segment to carry on instead.');
			}
			if (group.ids.size > group.fileModeThreshold) {
				output.push({ json: { ...summary, ...(await sendAsFile(this, baseUrl, group)) }, pairedItem: pairedItems(group.itemIndexes) });
				continue;
			}
			const body: IDataObject = {
				title: group.title,
				tag: group.tag,
				sourceType: group.sourceType,
				userIds: [...group.ids],
			};
			if (group.notes !== '') body.notes = group.notes;
			const envelope = await fanPassRequest(this, {
				baseUrl,
				endpoint: '/api/v1/segments',
				body,
				itemIndex: group.itemIndexes[0],
			});
			output.push({
				json: {
					...summary,
					mode: 'json',
					correlationId: envelope.correlationId,
					messages: envelope.messages,
				},
				pairedItem: pairedItems(group.itemIndexes),
			});
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(this, error, group.itemIndexes[0]);
			const failed = errorItem(error as Error, group.itemIndexes);
			failed.json.tag = group.tag;
			output.push(failed);
		}
	}
	return output;
}
