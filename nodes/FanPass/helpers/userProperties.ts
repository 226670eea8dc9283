import type { IDataObject } from 'n8n-workflow';

export const MAX_KEY_LENGTH = 24;
export const MAX_VALUE_LENGTH = 36;
/** System properties FanPass ignores when sent (the contract names `user_id`). */
export const RESERVED_KEYS = ['user_id'];

export type PropertyValue = string | number | boolean;

export interface PropertyCheck {
	properties: Record<string, PropertyValue>;
	/** Keys left out because the user chose to skip invalid keys, each with why. */
	skipped: string[];
	/** Values FanPass will cut to 36 characters. */
	truncated: string[];
	/** Problems that stop this item (in error mode). */
	errors: string[];
}

export interface PropertyRules {
	invalidKeys: 'error' | 'skip';
	longValues: 'truncate' | 'error';
}

/** Validates one item's properties against the rules FanPass would otherwise apply silently. */
export function checkUserProperties(input: IDataObject, rules: PropertyRules): PropertyCheck {
	const check: PropertyCheck = { properties: {}, skipped: [], truncated: [], errors: [] };
	const seen = new Set<string>();
	for (const [rawKey, value] of Object.entries(input)) {
		const key = rawKey.trim();
		const keyProblem = describeKeyProblem(key);
		if (keyProblem) {
			if (rules.invalidKeys === 'skip') check.skipped.push(`property "${rawKey}" not sent: ${keyProblem}`);
			else check.errors.push(`property "${rawKey}": ${keyProblem}`);
			continue;
		}
		const valueProblem = describeValueProblem(value);
		if (valueProblem) {
			check.errors.push(`property "${key}": ${valueProblem}`);
			continue;
		}
		const scalar = value as PropertyValue;
		const length = String(scalar).length;
		if (length > MAX_VALUE_LENGTH) {
			const message = `property "${key}": the value has ${length} characters; FanPass keeps only the first ${MAX_VALUE_LENGTH}`;
			if (rules.longValues === 'error') check.errors.push(message);
			else check.truncated.push(`${message} ("${String(scalar).slice(0, MAX_VALUE_LENGTH)}")`);
		}
		if (seen.has(key)) {
			check.errors.push(`property "${key}" is given twice`);
			continue;
		}
		seen.add(key);
		setOwn(check.properties, key, scalar);
	}
	return check;
}

function describeKeyProblem(key: string): string | undefined {
	if (key === '') return 'the property name is empty';
	if (key.length > MAX_KEY_LENGTH) {
		return `the name has ${key.length} characters; FanPass ignores names longer than ${MAX_KEY_LENGTH} (GA4 limit)`;
	}
	if (RESERVED_KEYS.includes(key.toLowerCase())) {
		return `"${key}" is a reserved system property that FanPass ignores; the user is chosen by the User ID field`;
	}
	return undefined;
}

function describeValueProblem(value: unknown): string | undefined {
	if (value === null || value === undefined) {
		return 'has no value; send text, a number or true/false (use an empty string to clear it)';
	}
	if (Array.isArray(value)) {
		return 'is a list; FanPass properties take one text, number or true/false value (join the list into text first)';
	}
	if (typeof value === 'object') {
		return 'is a nested object; FanPass properties take one text, number or true/false value (send each field as its own property)';
	}
	if (typeof value === 'number' && !Number.isFinite(value)) return `is ${value}, not a usable number`;
	if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) {
		return `is the number ${value}, too large to be exact in JavaScript (digits may already be lost); send it as text (a string)`;
	}
	if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
		return `is of type ${typeof value}; send text, a number or true/false`;
	}
	return undefined;
}

/** A key for grouping items that send exactly the same property set. */
export function propertySetKey(properties: Record<string, PropertyValue>): string {
	const sorted = Object.keys(properties)
		.sort()
		.map((key) => [key, properties[key]]);
	return JSON.stringify(sorted);
}

/**
 * Sets an own property whatever its name: `__proto__`, `constructor` and friends are data here,
 * never the object's prototype or a method.
 */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
	// only `__proto__` is an accessor on Object.prototype: any other name assigned becomes an own property
	if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
	else target[key] = value;
}

/** Whether `key` is an own property (not one inherited from Object.prototype). */
export const hasOwn = (target: object, key: string): boolean => Object.prototype.hasOwnProperty.call(target, key);
