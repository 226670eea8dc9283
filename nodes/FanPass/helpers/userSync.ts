import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { FanPassEnvelope } from '../transport/envelope';
import { fingerprint, type SyncMemory } from './syncMemory';
import { propertySetKey, type PropertyValue } from './userProperties';

export const userValue = (properties: Record<string, PropertyValue>) => fingerprint(propertySetKey(properties));

/** Splits each user's final properties into those to send and the users FanPass already holds. */
export function leaveOutUnchanged(memory: SyncMemory, finalOf: Map<string, Record<string, PropertyValue>>) {
	memory.admit(finalOf.keys());
	if (!memory.enabled || memory.overLimit) return { toSend: finalOf, skipped: new Set<string>() };
	const toSend = new Map<string, Record<string, PropertyValue>>();
	const skipped = new Set<string>();
	for (const [userId, properties] of finalOf) {
		if (memory.isUnchanged(userId, userValue(properties))) skipped.add(userId);
		else {
			memory.sending(userId);
			toSend.set(userId, properties);
		}
	}
	return { toSend, skipped };
}

/**
 * Remembers a batch FanPass accepted. An answer with errors (FanPass's warnings about the
 * request) is not taken as proof that every user now holds these values.
 */
export function rememberUsers(
	memory: SyncMemory,
	userIds: string[],
	properties: Record<string, PropertyValue>,
	envelope: FanPassEnvelope,
): void {
	if (!memory.enabled || envelope.errors.length > 0) return;
	const value = userValue(properties);
	for (const userId of userIds) memory.accept(userId, value);
}

/** The per-item fields Skip Unchanged adds: what was sent and what was left out as unchanged. */
export function userSyncFields(userIds: string[], skipped: Set<string>): IDataObject {
	const left = userIds.filter((id) => skipped.has(id));
	const sync = left.length === 0 ? 'sent' : left.length === userIds.length ? 'skippedUnchanged' : 'partlySkippedUnchanged';
	return { sync, skippedUnchangedUserIds: left };
}

/** The run total, put on the first output item and logged. */
export function userSyncTotals(
	context: IExecuteFunctions,
	memory: SyncMemory,
	users: number,
	skipped: number,
	requests: number,
): IDataObject {
	const totals: IDataObject = { users, usersSent: users - skipped, usersSkippedUnchanged: skipped, requests, remembered: memory.size };
	if (memory.warnings.length > 0) totals.warnings = memory.warnings;
	context.logger.info(`FanPass Update User: ${users - skipped} users sent in ${requests} requests, ${skipped} skipped as unchanged`);
	for (const warning of memory.warnings) context.logger.warn(`FanPass Update User: ${warning}`);
	return totals;
}
