/**
 * POST /api/v1/update_user: the same properties applied to every listed user.
 *
 * Each key is resolved (see attributes.ts): written to `user_properties` or `custom`, or ignored
 * with a warning in `messages`. Values: string/number/boolean stored (long ones truncated with
 * a warning), null removes the attribute, objects/arrays are ignored with a warning.
 */
import {
	ignoredPropertyWarning,
	invalidValueWarning,
	normalizeValue,
	resolveKey,
	truncatedValueWarning,
	type AttributeTarget,
} from '../attributes';
import { missingFields, ok, type ApiResult } from '../envelope';
import { getOrCreateUser, type AttributeValue } from '../state';
import { duplicatesWarning, isMissing, isPlainObject, parseUserIds, throwIfErrors } from '../validation';
import { nowIso, readJsonBody, type RouteContext } from './context';

interface Write {
	target: AttributeTarget;
	key: string;
	/** null removes the attribute. */
	value: AttributeValue | null;
}

export async function updateUserRoute(ctx: RouteContext): Promise<ApiResult> {
	const body = await readJsonBody(ctx);

	const missing = ['userIds', 'userProperties'].filter((field) => isMissing(body[field]));
	if (missing.length > 0) throw missingFields(missing);

	const errors: string[] = [];
	const { ids, duplicates } = parseUserIds(body.userIds, errors);
	const properties = body.userProperties;
	if (!isPlainObject(properties)) errors.push('Invalid field "userProperties": must be an object of key/value pairs');
	throwIfErrors(errors);

	const warnings: string[] = [];
	const writes: Write[] = [];
	for (const [key, raw] of Object.entries(properties as Record<string, unknown>)) {
		const resolution = resolveKey(key, ctx.config);
		if (resolution.kind === 'ignore') {
			warnings.push(ignoredPropertyWarning(key, resolution.reason));
			continue;
		}
		const value = normalizeValue(raw);
		if (value.kind === 'invalid') {
			warnings.push(invalidValueWarning(key));
			continue;
		}
		if (value.kind === 'set' && value.truncated) warnings.push(truncatedValueWarning(key));
		writes.push({ target: resolution.target, key, value: value.kind === 'set' ? value.value : null });
	}

	const iso = nowIso(ctx);
	for (const userId of ids) {
		const user = getOrCreateUser(ctx.state, userId, iso);
		for (const write of writes) {
			if (write.value === null) delete user[write.target][write.key];
			// defineProperty: a key named __proto__ is data, not the record's prototype
			else Object.defineProperty(user[write.target], write.key, { value: write.value, enumerable: true, writable: true, configurable: true });
		}
		user.updatedAt = iso;
	}

	const messages = [`Successfully updated user properties for ${ids.length} users`, ...warnings];
	if (duplicates > 0) messages.push(duplicatesWarning(duplicates));
	return ok(messages);
}
