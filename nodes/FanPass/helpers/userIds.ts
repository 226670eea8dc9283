/** What normalising one item's user IDs produced; every value the user sent is accounted for. */
export interface NormalisedIds {
	/** May be the item's own array, when it needed no change: never changed by the node. */
	ids: readonly string[];
	empty: number;
}

export class UserIdError extends Error {}

/** The separators the fields' hints name: commas and line breaks (not semicolons: `acme;123` is one ID). */
const LIST_SEPARATOR = /\r\n|[\n\r,]/;

/**
 * Turns whatever an item gave as user IDs (a string, a number, an array of those, or a
 * comma or line-break separated list when `splitLists` is on) into trimmed strings. Empty values are
 * counted, not kept; anything that is not a string or a number is an error, so nothing is
 * dropped without a trace.
 */
export function normaliseUserIds(value: unknown, splitLists: boolean): NormalisedIds {
	// the common case, one ID per item, without the general walk's allocations
	if (typeof value === 'string' && !splitLists) {
		const trimmed = value.trim();
		return trimmed === '' ? { ids: [], empty: 1 } : { ids: [trimmed], empty: 0 };
	}
	const ids: string[] = [];
	const result = { ids, empty: 0 };
	const addText = (text: string) => {
		const trimmed = text.trim();
		if (trimmed === '') result.empty++;
		else ids.push(trimmed);
	};
	// a position is a chain of indexes, spelled out only for an error: a million IDs make no labels
	const visitEntries = (entries: readonly unknown[], from: number, position: Position | undefined) => {
		for (let index = from; index < entries.length; index++) {
			const inner = entries[index];
			// the common case, an array of text IDs, without a position per ID
			if (typeof inner === 'string' && !splitLists) addText(inner);
			else visit(inner, { parent: position, index });
		}
	};
	const visit = (entry: unknown, position: Position | undefined) => {
		if (entry === null || entry === undefined) {
			result.empty++;
			return;
		}
		if (Array.isArray(entry)) {
			visitEntries(entry, 0, position);
			return;
		}
		if (typeof entry === 'number') {
			if (!Number.isFinite(entry)) {
				throw new UserIdError(`${label(position)} is ${entry}, which is not an ID`);
			}
			if (Number.isInteger(entry) && !Number.isSafeInteger(entry)) {
				throw new UserIdError(
					`${label(position)} is the number ${entry}, too large to be exact in JavaScript; send it as text (a string) so no digit is lost`,
				);
			}
			ids.push(String(entry));
			return;
		}
		if (typeof entry === 'string') {
			if (splitLists) for (const part of entry.split(LIST_SEPARATOR)) addText(part);
			else addText(entry);
			return;
		}
		throw new UserIdError(
			`${label(position)} is ${describeType(entry)}; a user ID must be text or a number`,
		);
	};
	if (Array.isArray(value) && !splitLists) {
		// a page of clean text IDs (the usual warehouse export) is kept as it is, not copied; of any other
		// page the clean start is copied as it is and only the rest walked
		const cleanStart = cleanTextPrefix(value);
		if (cleanStart === value.length) return { ids: value as string[], empty: 0 };
		for (let index = 0; index < cleanStart; index++) ids.push(value[index] as string);
		visitEntries(value, cleanStart, undefined);
	} else visit(value, undefined);
	return result;
}

/** How many entries from the start are text IDs that need no trimming. */
function cleanTextPrefix(entries: readonly unknown[]): number {
	let index = 0;
	while (index < entries.length) {
		const entry = entries[index];
		if (typeof entry !== 'string' || entry === '' || entry.trim() !== entry) break;
		index++;
	}
	return index;
}

interface Position {
	parent: Position | undefined;
	index: number;
}

function label(position: Position | undefined): string {
	let path = '';
	for (let at = position; at; at = at.parent) path = `[${at.index}]` + path;
	return path ? `the user ID at ${path}` : 'the user ID';
}

function describeType(value: unknown): string {
	if (typeof value === 'boolean') return `the boolean ${value}`;
	if (typeof value === 'object') return 'an object';
	return `of type ${typeof value}`;
}
