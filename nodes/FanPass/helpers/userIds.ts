/** What normalising one item's user IDs produced; every value the user sent is accounted for. */
export interface NormalisedIds {
	ids: string[];
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
	const result: NormalisedIds = { ids: [], empty: 0 };
	const visit = (entry: unknown, position: string) => {
		if (entry === null || entry === undefined) {
			result.empty++;
			return;
		}
		if (Array.isArray(entry)) {
			entry.forEach((inner, index) => visit(inner, `${position}[${index}]`));
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
			result.ids.push(String(entry));
			return;
		}
		if (typeof entry === 'string') {
			const parts = splitLists ? entry.split(LIST_SEPARATOR) : [entry];
			for (const part of parts) {
				const trimmed = part.trim();
				if (trimmed === '') result.empty++;
				else result.ids.push(trimmed);
			}
			return;
		}
		throw new UserIdError(
			`${label(position)} is ${describeType(entry)}; a user ID must be text or a number`,
		);
	};
	visit(value, '');
	return result;
}

const label = (position: string) => (position ? `the user ID at ${position}` : 'the user ID');

function describeType(value: unknown): string {
	if (typeof value === 'boolean') return `the boolean ${value}`;
	if (typeof value === 'object') return 'an object';
	return `of type ${typeof value}`;
}

/** Adds IDs to an ordered set and reports how many were already there. */
export function addUnique(target: Set<string>, ids: string[]): number {
	let duplicates = 0;
	for (const id of ids) {
		if (target.has(id)) duplicates++;
		else target.add(id);
	}
	return duplicates;
}
