/**
 * User Model Attribute rules shared by update_user and file imports:
 * which record a key goes to, and how a value is checked and truncated.
 */
import { MAX_KEY_LENGTH, MAX_VALUE_LENGTH, type SandboxConfig } from './config';
import { WARNING_PREFIX } from './envelope';
import type { AttributeValue } from './state';

export type AttributeTarget = 'user_properties' | 'custom';
export type IgnoreReason = 'too_long' | 'reserved' | 'unknown';

export type KeyResolution = { kind: 'write'; target: AttributeTarget } | { kind: 'ignore'; reason: IgnoreReason };

/** Length in characters (code points), not UTF-16 units. */
export function charLength(text: string): number {
	return [...text].length;
}

/**
 * Resolution order: key length (> 24 ignored), reserved system property (ignored),
 * non-reserved Platform User Property, registered Custom Attribute, else unknown.
 * Names match exactly (case-sensitive).
 */
export function resolveKey(key: string, config: SandboxConfig): KeyResolution {
	if (charLength(key) > MAX_KEY_LENGTH) return { kind: 'ignore', reason: 'too_long' };
	if (config.reservedProperties.has(key)) return { kind: 'ignore', reason: 'reserved' };
	if (config.platformProperties.has(key)) return { kind: 'write', target: 'user_properties' };
	if (config.customAttributes.has(key)) return { kind: 'write', target: 'custom' };
	return { kind: 'ignore', reason: 'unknown' };
}

export function describeIgnoreReason(reason: IgnoreReason): string {
	switch (reason) {
		case 'too_long':
			return `key longer than ${MAX_KEY_LENGTH} characters`;
		case 'reserved':
			return 'reserved system property';
		case 'unknown':
			return 'not a platform user property or registered custom attribute';
	}
}

export function ignoredPropertyWarning(key: string, reason: IgnoreReason): string {
	return `${WARNING_PREFIX}property "${key}" ignored: ${describeIgnoreReason(reason)}`;
}

export type ValueOutcome =
	| { kind: 'set'; value: AttributeValue; truncated: boolean }
	| { kind: 'unset' }
	| { kind: 'invalid' };

export function truncate(text: string): { text: string; truncated: boolean } {
	if (charLength(text) <= MAX_VALUE_LENGTH) return { text, truncated: false };
	return { text: [...text].slice(0, MAX_VALUE_LENGTH).join(''), truncated: true };
}

/**
 * Strings, numbers and booleans are stored (strings longer than 36 characters truncated);
 * null removes the attribute; objects and arrays are invalid.
 */
export function normalizeValue(value: unknown): ValueOutcome {
	if (value === null) return { kind: 'unset' };
	if (typeof value === 'boolean') return { kind: 'set', value, truncated: false };
	// A JS number's text is at most 24 characters (e.g. -1.2345678901234567e-300): never truncated.
	if (typeof value === 'number') return Number.isFinite(value) ? { kind: 'set', value, truncated: false } : { kind: 'invalid' };
	if (typeof value === 'string') {
		const { text, truncated } = truncate(value);
		return { kind: 'set', value: text, truncated };
	}
	return { kind: 'invalid' };
}

export function truncatedValueWarning(key: string): string {
	return `${WARNING_PREFIX}value of property "${key}" truncated to ${MAX_VALUE_LENGTH} characters`;
}

export function invalidValueWarning(key: string): string {
	return `${WARNING_PREFIX}property "${key}" ignored: value must be a string, number, boolean or null`;
}
