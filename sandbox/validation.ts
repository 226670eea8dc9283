/**
 * Field checks shared by the routes: "missing", tag, sourceType and user ID lists.
 */
import { ApiError, WARNING_PREFIX } from './envelope';

/** Absent, null, or empty (blank string, empty array, empty object) counts as missing. */
export function isMissing(value: unknown): boolean {
	if (value === undefined || value === null) return true;
	if (typeof value === 'string') return value.trim() === '';
	if (Array.isArray(value)) return value.length === 0;
	if (typeof value === 'object') return Object.keys(value).length === 0;
	return false;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A tag is the segment's primary key: letters and digits only, no spaces. */
export const TAG_PATTERN = /^[A-Za-z0-9]+$/;

export function checkTag(tag: unknown, errors: string[]): tag is string {
	if (typeof tag !== 'string') {
		errors.push('Invalid field "tag": must be a string');
		return false;
	}
	if (!TAG_PATTERN.test(tag)) {
		errors.push(`Invalid field "tag": must be alphanumeric (letters and digits only, no spaces), got "${tag}"`);
		return false;
	}
	return true;
}

export function checkString(name: string, value: unknown, errors: string[]): value is string {
	if (typeof value === 'string') return true;
	errors.push(`Invalid field "${name}": must be a string`);
	return false;
}

export const SOURCE_TYPES = [0, 1, 2, 3, 4] as const;

/** JSON mode: absent or null means 0; otherwise an integer 0-4. */
export function parseJsonSourceType(value: unknown, errors: string[]): number {
	if (value === undefined || value === null) return 0;
	if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 4) return value;
	errors.push('Invalid field "sourceType": must be an integer from 0 to 4');
	return 0;
}

/** File mode: a text field; blank means 0; otherwise "0".."4". */
export function parseTextSourceType(value: string | undefined, errors: string[]): number {
	const text = (value ?? '').trim();
	if (text === '') return 0;
	if (/^[0-4]$/.test(text)) return Number(text);
	errors.push('Invalid field "sourceType": must be an integer from 0 to 4');
	return 0;
}

const MAX_LISTED_ID_ERRORS = 10;

/**
 * User IDs must be non-empty strings; numbers are accepted and stringified when they are safe
 * integers (a larger number has already lost digits in JSON parsing). Returns the unique IDs in
 * first-seen order and how many duplicates were dropped.
 */
export function parseUserIds(value: unknown, errors: string[]): { ids: string[]; duplicates: number } {
	if (!Array.isArray(value)) {
		errors.push('Invalid field "userIds": must be a non-empty array of user IDs');
		return { ids: [], duplicates: 0 };
	}
	const ids: string[] = [];
	const seen = new Set<string>();
	const problems: string[] = [];
	value.forEach((entry: unknown, index) => {
		let id: string | null = null;
		if (typeof entry === 'string') {
			if (entry.trim() === '') problems.push(`Invalid field "userIds[${index}]": user ID must not be empty`);
			else id = entry;
		} else if (typeof entry === 'number') {
			if (Number.isSafeInteger(entry)) id = String(entry);
			else problems.push(`Invalid field "userIds[${index}]": numeric user ID ${entry} is not a safe integer; send IDs as strings`);
		} else {
			problems.push(`Invalid field "userIds[${index}]": user IDs must be strings or numbers, got ${describeType(entry)}`);
		}
		if (id !== null && !seen.has(id)) {
			seen.add(id);
			ids.push(id);
		}
	});
	errors.push(...problems.slice(0, MAX_LISTED_ID_ERRORS));
	if (problems.length > MAX_LISTED_ID_ERRORS) {
		errors.push(`... and ${problems.length - MAX_LISTED_ID_ERRORS} more invalid user IDs`);
	}
	return { ids, duplicates: value.length - ids.length - problems.length };
}

export function duplicatesWarning(count: number): string {
	return `${WARNING_PREFIX}${count} duplicate user ${count === 1 ? 'ID' : 'IDs'} counted once`;
}

export function describeType(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	return typeof value;
}

export function throwIfErrors(errors: string[]): void {
	if (errors.length > 0) throw new ApiError(400, errors);
}
