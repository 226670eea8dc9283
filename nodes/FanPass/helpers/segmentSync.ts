import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readImportStatus } from '../transport/client';
import { fingerprint, type SyncMemory } from './syncMemory';

interface SyncedSegment {
	tag: string;
	title: string;
	sourceType: number;
	notes: string;
	ids: Iterable<string>;
	itemIndexes: number[];
}

/** Members in any order are the same segment: FanPass replaces the whole list on every call. */
export const segmentValue = (segment: SyncedSegment) =>
	fingerprint(JSON.stringify([segment.title, segment.sourceType, segment.notes, [...segment.ids].sort()]));

/**
 * Whether FanPass already holds this segment. A segment sent as a file was only accepted for
 * import, so it is remembered with its importId and counts as held once that import completed.
 */
async function isHeld(
	context: IExecuteFunctions,
	memory: SyncMemory,
	baseUrl: string,
	segment: SyncedSegment,
	value: string,
): Promise<boolean> {
	const [stored, importId] = (memory.stored(segment.tag) ?? '').split('@');
	if (stored !== value) return false;
	if (importId === undefined) return true;
	try {
		const { status } = await readImportStatus(context, { baseUrl, itemIndex: segment.itemIndexes[0] }, Number(importId));
		if (status.state !== 'completed') return false;
	} catch {
		return false;
	}
	memory.accept(segment.tag, value);
	return true;
}

/**
 * Sends a segment unless Skip Unchanged finds FanPass holds it, and remembers what FanPass
 * accepted: an answer whose warnings FanPass added (errors in its envelope) is not remembered.
 */
export async function sendUnlessUnchanged(
	context: IExecuteFunctions,
	memory: SyncMemory,
	baseUrl: string,
	segment: SyncedSegment,
	summary: IDataObject,
	send: (summary: IDataObject) => Promise<IDataObject>,
): Promise<IDataObject> {
	if (!memory.enabled) return await send(summary);
	const value = segmentValue(segment);
	if (await isHeld(context, memory, baseUrl, segment, value)) {
		return {
			...summary,
			skipped: true,
			sync: 'skippedUnchanged',
			reason: `segment "${segment.tag}" has the same members, title, source type and notes FanPass last accepted from this node, so it was not sent`,
		};
	}
	memory.sending(segment.tag);
	const result = await send(summary);
	if (result.skipped === true) return result;
	if (JSON.stringify(result.warnings ?? []) === JSON.stringify(summary.warnings ?? [])) {
		memory.accept(segment.tag, typeof result.importId === 'number' ? `${value}@${result.importId}` : value);
	}
	return { ...result, sync: 'sent' };
}

/** The run total, put on the first output item and logged. */
export function segmentSyncTotals(context: IExecuteFunctions, memory: SyncMemory, results: IDataObject[]): IDataObject {
	const skipped = results.filter((json) => json.sync === 'skippedUnchanged').length;
	const sent = results.filter((json) => json.sync === 'sent').length;
	const totals: IDataObject = { segmentsSent: sent, segmentsSkippedUnchanged: skipped, remembered: memory.size };
	if (memory.warnings.length > 0) totals.warnings = memory.warnings;
	context.logger.info(`FanPass Create or Update Segment: ${sent} segments sent, ${skipped} skipped as unchanged`);
	for (const warning of memory.warnings) context.logger.warn(`FanPass Create or Update Segment: ${warning}`);
	return totals;
}
