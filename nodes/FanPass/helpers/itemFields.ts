import type { IExecuteFunctions } from 'n8n-workflow';

import { asNodeError, itemError } from './itemErrors';
import type { OperationParameters } from './parameters';
import { tagProblem } from './segmentTag';
import { normaliseUserIds, UserIdError, type NormalisedIds } from './userIds';

export interface SegmentIdentity {
	tag: string;
	title: string;
	sourceType: number;
}

const SOURCE_TYPES = [0, 1, 2, 3, 4];

/** Source Type as a user may give it: 0-4 as a number or as numeric text, nothing else. */
export function parseSourceType(value: unknown): number | undefined {
	if (typeof value === 'number') return SOURCE_TYPES.includes(value) ? value : undefined;
	if (typeof value === 'string' && /^\s*[0-4]\s*$/.test(value)) return Number(value);
	return undefined;
}

const shown = (value: unknown) => (typeof value === 'string' ? `"${value}"` : JSON.stringify(value) ?? String(value));

/** The last identity checked, per run: most items repeat the one before, which needs no new check. */
const lastChecked = new WeakMap<OperationParameters, { tag: string; title: string; rawSourceType: unknown; identity: SegmentIdentity }>();

/** Reads and checks title, tag and source type, naming the item on any problem. */
export function readSegmentIdentity(
	context: IExecuteFunctions,
	params: OperationParameters,
	itemIndex: number,
): SegmentIdentity {
	const tag = params.text('tag', itemIndex);
	const title = params.text('title', itemIndex);
	const rawSourceType = params.get('sourceType', itemIndex);
	const last = lastChecked.get(params);
	if (last && last.tag === tag && last.title === title && last.rawSourceType === rawSourceType) return last.identity;
	const identity = checkSegmentIdentity(context, itemIndex, tag, title, rawSourceType);
	lastChecked.set(params, { tag, title, rawSourceType, identity });
	return identity;
}

function checkSegmentIdentity(context: IExecuteFunctions, itemIndex: number, tag: string, title: string, rawSourceType: unknown): SegmentIdentity {
	const problem = tagProblem(tag);
	if (problem) throw itemError(context, itemIndex, problem);
	if (title === '') throw itemError(context, itemIndex, `the segment title for tag "${tag}" is empty`);
	const sourceType = parseSourceType(rawSourceType);
	if (sourceType === undefined) {
		throw itemError(
			context,
			itemIndex,
			`Source Type is ${shown(rawSourceType)}; it must be one of 0-4 (0 = Ticketing ID), as a number or as text`,
		);
	}
	return { tag, title, sourceType };
}

/** Reads one item's user IDs from a parameter, turning an unusable value into an error on that item. */
export function readUserIds(
	context: IExecuteFunctions,
	params: OperationParameters,
	itemIndex: number,
	parameterName: string,
	splitLists: boolean,
): NormalisedIds {
	try {
		return normaliseUserIds(params.get(parameterName, itemIndex), splitLists);
	} catch (error) {
		if (error instanceof UserIdError) throw itemError(context, itemIndex, error.message);
		throw asNodeError(context, error, itemIndex);
	}
}
