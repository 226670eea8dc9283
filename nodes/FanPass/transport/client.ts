/**
 * The FanPass API as typed calls: one function per contract call, each with its endpoint, its
 * body and whether repeating it is safe. Actions call these; they never build URLs or envelopes.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { itemError } from '../helpers/itemErrors';
import type { FanPassEnvelope } from './envelope';
import { fanPassRequest } from './index';
import { encodeMultipart, type FileData } from './multipart';
import type { RetryPolicy } from './retryPolicy';

/** Where a call goes and which input item it answers for (its errors name that item). */
export interface FanPassTarget {
	baseUrl: string;
	itemIndex: number;
	/** The Request Options, when the caller has read them already. */
	policy?: RetryPolicy;
}

/**
 * Every call is idempotent by the contract: a segment call replaces the members of its tag,
 * update_user sets values, the status call reads. So a retry after a dropped connection can
 * never double anything; a new call added here must say whether that holds for it.
 */
export const FANPASS_CALLS = {
	segmentIds: { endpoint: '/api/v1/segments', idempotent: true },
	segmentFile: { endpoint: '/api/v1/segments', idempotent: true },
	importStatus: { endpoint: '/api/v1/segment_import_status', idempotent: true },
	updateUser: { endpoint: '/api/v1/update_user', idempotent: true },
} as const;

type CallName = keyof typeof FANPASS_CALLS;

async function call(
	context: IExecuteFunctions,
	name: CallName,
	target: FanPassTarget,
	body: Parameters<typeof fanPassRequest>[1]['body'],
): Promise<FanPassEnvelope> {
	const { endpoint, idempotent } = FANPASS_CALLS[name];
	return await fanPassRequest(context, { ...target, endpoint, body, idempotent });
}

export interface SegmentIds {
	title: string;
	tag: string;
	sourceType: number;
	notes: string;
	userIds: string[];
}

/** JSON mode: replaces the segment's members with `userIds`. */
export async function sendSegmentIds(
	context: IExecuteFunctions,
	target: FanPassTarget,
	segment: SegmentIds,
): Promise<FanPassEnvelope> {
	const body: IDataObject = {
		title: segment.title,
		tag: segment.tag,
		sourceType: segment.sourceType,
		userIds: segment.userIds,
	};
	if (segment.notes !== '') body.notes = segment.notes;
	return await call(context, 'segmentIds', target, body);
}

export interface SegmentFileUpload {
	title: string;
	tag: string;
	sourceType: number;
	notes: string;
	dryRun: boolean;
	correlationId: string;
	fileName: string;
	contentType: string;
	data: FileData;
}

export interface AcceptedFile {
	envelope: FanPassEnvelope;
	/** Null only for a dry run, which FanPass validates without creating an import. */
	importId: number | null;
	lookupKey: string | null;
}

/** File mode: FanPass queues the file as an import and answers with its id. */
export async function sendSegmentFile(
	context: IExecuteFunctions,
	target: FanPassTarget,
	upload: SegmentFileUpload,
): Promise<AcceptedFile> {
	const fields: Record<string, string> = {
		title: upload.title,
		tag: upload.tag,
		sourceType: String(upload.sourceType),
		dry_run: upload.dryRun ? 'true' : 'false',
	};
	if (upload.notes !== '') fields.notes = upload.notes;
	if (upload.correlationId !== '') fields.correlation_id = upload.correlationId;
	const body = encodeMultipart(fields, {
		fieldName: 'file',
		fileName: upload.fileName,
		contentType: upload.contentType,
		data: upload.data,
	});
	const envelope = await call(context, 'segmentFile', target, body);
	const lookupKey = envelope.lookup_key === undefined || envelope.lookup_key === null ? null : String(envelope.lookup_key);
	if (upload.dryRun) return { envelope, importId: null, lookupKey };
	const importId = importIdFrom(envelope.firebase_imported_segment_id);
	if (importId === undefined) {
		throw itemError(
			context,
			target.itemIndex,
			`FanPass accepted the file for segment "${upload.tag}" but gave no usable import id (firebase_imported_segment_id is ${describe(envelope.firebase_imported_segment_id)})`,
			`Without it the import cannot be followed. correlationId ${envelope.correlationId || '(none)'}; check the segment in the FanReach Portal.`,
		);
	}
	return { envelope, importId, lookupKey };
}

/** An import id as FanPass may send it: a whole number, or the same as numeric text. */
export function importIdFrom(value: unknown): number | undefined {
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (!/^\d+$/.test(text)) return undefined;
	const id = Number(text);
	return Number.isSafeInteger(id) ? id : undefined;
}

const describe = (value: unknown) =>
	value === undefined ? 'missing' : value === null ? 'null' : JSON.stringify(value).slice(0, 60);

export const IMPORT_STATES = ['pending', 'processing', 'completed', 'failed'] as const;
export type ImportState = (typeof IMPORT_STATES)[number];

export interface ImportStatus extends IDataObject {
	state: ImportState;
	total_users: number;
	done: number;
	remaining: number;
	percent: number | null;
	firestore_status: string | null;
}

export const isFinishedState = (state: ImportState) => state === 'completed' || state === 'failed';

/**
 * Reads an import's status. A state the contract does not name (`COMPLETED`, `error`, …) is an
 * error that names it: treating it as "still running" would wait until Max Wait for nothing.
 */
export async function readImportStatus(
	context: IExecuteFunctions,
	target: FanPassTarget,
	importId: number,
): Promise<{ status: ImportStatus; correlationId: string; envelope: FanPassEnvelope }> {
	const envelope = await call(context, 'importStatus', target, { firebase_imported_segment_id: importId });
	const status = envelope.import_status as IDataObject | undefined;
	if (!status || typeof status !== 'object' || Array.isArray(status) || typeof status.state !== 'string') {
		throw itemError(
			context,
			target.itemIndex,
			`FanPass answered the status request for import ${importId} without an import_status${envelope.messages.length ? `: ${envelope.messages.join('; ')}` : ''}`,
			`correlationId ${envelope.correlationId || '(none)'}`,
		);
	}
	if (!(IMPORT_STATES as readonly string[]).includes(status.state)) {
		throw itemError(
			context,
			target.itemIndex,
			`FanPass reported import ${importId} in the state "${String(status.state).slice(0, 60)}", which is not one of ${IMPORT_STATES.join(', ')}; the node cannot tell whether it finished`,
			`correlationId ${envelope.correlationId || '(none)'}. Check the import in the FanReach Portal.`,
		);
	}
	return { status: status as ImportStatus, correlationId: envelope.correlationId, envelope };
}

export interface UserUpdate {
	userIds: string[];
	userProperties: IDataObject;
}

/** Sets the same properties on every listed user. */
export async function updateUsers(
	context: IExecuteFunctions,
	target: FanPassTarget,
	update: UserUpdate,
): Promise<FanPassEnvelope> {
	return await call(context, 'updateUser', target, { userIds: update.userIds, userProperties: update.userProperties });
}
