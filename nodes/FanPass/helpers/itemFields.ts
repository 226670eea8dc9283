import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { asNodeError, itemError } from './itemErrors';
import { tagProblem } from './segmentTag';
import { normaliseUserIds, UserIdError, type NormalisedIds } from './userIds';
import { readParameter } from './readParameter';

export interface SegmentFields {
	tag: string;
	title: string;
	sourceType: number;
	options: IDataObject;
}

/** Reads and checks the fields every segment action shares, naming the item on any problem. */
export function readSegmentFields(context: IExecuteFunctions, itemIndex: number): SegmentFields {
	const tag = String(readParameter(context, 'tag', itemIndex, '') ?? '').trim();
	const problem = tagProblem(tag);
	if (problem) throw itemError(context, itemIndex, problem);
	const title = String(readParameter(context, 'title', itemIndex, '') ?? '').trim();
	if (title === '') throw itemError(context, itemIndex, `the segment title for tag "${tag}" is empty`);
	const sourceType = Number(readParameter(context, 'sourceType', itemIndex, 0));
	if (!Number.isInteger(sourceType) || sourceType < 0 || sourceType > 4) {
		throw itemError(context, itemIndex, `the source type "${sourceType}" is not one of 0-4`);
	}
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return { tag, title, sourceType, options };
}

/** Reads one item's user IDs from a parameter, turning an unusable value into an error on that item. */
export function readUserIds(
	context: IExecuteFunctions,
	itemIndex: number,
	parameterName: string,
	splitLists: boolean,
): NormalisedIds {
	try {
		return normaliseUserIds(readParameter(context, parameterName, itemIndex, ''), splitLists);
	} catch (error) {
		if (error instanceof UserIdError) throw itemError(context, itemIndex, error.message);
		throw asNodeError(context, error, itemIndex);
	}
}
