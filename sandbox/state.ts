/**
 * The sandbox's in-memory world: segments, users, file imports and a log of every API request.
 * Tests read it directly through `SandboxHandle.state`; other processes through
 * `GET /__sandbox/state` (byte buffers omitted).
 */
import type { AuthOutcome } from './auth';
import type { Envelope } from './envelope';
import type { FaultKind } from './faults';

export type AttributeValue = string | number | boolean;
export type SegmentMode = 'json' | 'file';

export interface SegmentRecord {
	tag: string;
	title: string;
	sourceType: number;
	notes: string | null;
	/** Current members, unique, in first-seen order. Replaced wholesale on every write. */
	userIds: string[];
	/** How the current member list was written. */
	mode: SegmentMode;
	/** 1 on creation, +1 on every rinse-and-replace. */
	version: number;
	createdAt: string;
	updatedAt: string;
	/** Import id of the file upload that wrote the current members (null in JSON mode). */
	lastImportId: number | null;
	/** Row errors recorded by that file upload. */
	importErrors: string[];
}

export interface UserRecord {
	userId: string;
	user_properties: Record<string, AttributeValue>;
	custom: Record<string, AttributeValue>;
	updatedAt: string;
}

export type ImportState = 'pending' | 'processing' | 'completed' | 'failed';

export interface ImportRecord {
	id: number;
	tag: string;
	title: string;
	sourceType: number;
	notes: string | null;
	fileName: string;
	fileSize: number;
	sha256: string;
	/** Epoch ms of the upload. */
	createdAtMs: number;
	createdAt: string;
	/** Time from upload to completion, and the pending part of it at the start. */
	durationMs: number;
	pendingMs: number;
	/** Unique accepted user IDs; what `total_users` reports. */
	totalUsers: number;
	/** Non-blank data rows in the file (header excluded). */
	totalRows: number;
	acceptedRows: number;
	rejectedRows: number;
	/** One line per rejected row, e.g. `row 3 rejected: column "foo" is ...` (capped). */
	rowErrors: string[];
	/** Warnings returned with the upload. */
	warnings: string[];
	/** Set by the failure/completion test hooks; overrides the time-based state. */
	forced: { state: 'failed' | 'completed'; atMs: number; reason: string | null } | null;
	/** Set when the import was created while midway failures were armed: it fails `afterMs` after the upload. */
	midwayFailure?: { afterMs: number; reason: string } | null;
}

export interface RecordedFile {
	fieldName: string;
	fileName: string;
	mimeType: string;
	/** Bytes received; a file over the 10 MB limit is cut at limit + 1 byte. */
	size: number;
	sha256: string;
	/** The file exceeded the size limit and was cut short. */
	truncated: boolean;
	bytes: Buffer;
}

export interface RecordedRequest {
	seq: number;
	/** Set when a fault was injected into this request (see sandbox/faults.ts). */
	fault?: FaultKind;
	receivedAt: string;
	method: string;
	path: string;
	query: string;
	contentType: string | null;
	/** Request headers minus Authorization, Proxy-Authorization and Cookie. */
	headers: Record<string, string>;
	/** Whether an Authorization header was sent and accepted. The token is never stored. */
	auth: AuthOutcome;
	/**
	 * Parsed JSON body: always a JSON object, set only for JSON requests that parsed. Typed `any`
	 * so tests can reach into it (`request.body.userIds`).
	 */
	body?: any;
	/** Raw text of a body that was not valid JSON (first 64 KiB). */
	rawBody?: string;
	/** Parsed multipart/form-data request. */
	multipart?: { fields: Record<string, string>; file: RecordedFile | null };
	correlationId: string;
	/**
	 * Status the client received; 0 when it got no response (a 'drop' fault, or it disconnected
	 * during a 'delay'). Same as `response.status` unless a fault was injected.
	 */
	status: number;
	/**
	 * The sandbox's own answer. After a fault: the handled request's envelope when the request was
	 * handled (afterApply, delay), else the envelope a 'status' fault sent, or one describing the fault.
	 */
	response: { status: number; correlationId: string; body: Envelope };
	durationMs: number;
}

export interface SandboxState {
	segments: Map<string, SegmentRecord>;
	users: Map<string, UserRecord>;
	imports: Map<number, ImportRecord>;
	requests: RecordedRequest[];
	/** Id the next file import gets. Tests may set it. */
	nextImportId: number;
}

export function createState(firstImportId: number): SandboxState {
	return { segments: new Map(), users: new Map(), imports: new Map(), requests: [], nextImportId: firstImportId };
}

/** Clears everything in place, so references held by tests stay valid. */
export function resetState(state: SandboxState, firstImportId: number): void {
	state.segments.clear();
	state.users.clear();
	state.imports.clear();
	state.requests.length = 0;
	state.nextImportId = firstImportId;
}

export function getOrCreateUser(state: SandboxState, userId: string, nowIso: string): UserRecord {
	let user = state.users.get(userId);
	if (!user) {
		user = { userId, user_properties: {}, custom: {}, updatedAt: nowIso };
		state.users.set(userId, user);
	}
	return user;
}

/** JSON-safe copy of the state: Maps become objects, file bytes are left out. */
export function dumpState(
	state: SandboxState,
	importStatus: (record: ImportRecord) => unknown,
): Record<string, unknown> {
	return {
		segments: Object.fromEntries(state.segments),
		users: Object.fromEntries(state.users),
		imports: Object.fromEntries(
			[...state.imports].map(([id, record]) => [String(id), { ...record, import_status: importStatus(record) }]),
		),
		requests: state.requests.map((request) => {
			if (!request.multipart?.file) return request;
			const { bytes: _omitted, ...file } = request.multipart.file;
			return { ...request, multipart: { ...request.multipart, file } };
		}),
		nextImportId: state.nextImportId,
	};
}

/** Creates the segment, or fully replaces an existing one's members ("rinse and replace"). */
export function upsertSegment(
	state: SandboxState,
	input: {
		tag: string;
		title: string;
		sourceType: number;
		notes: string | null;
		userIds: string[];
		mode: SegmentMode;
		importId: number | null;
		importErrors: string[];
	},
	nowIso: string,
): SegmentRecord {
	const previous = state.segments.get(input.tag);
	const segment: SegmentRecord = {
		tag: input.tag,
		title: input.title,
		sourceType: input.sourceType,
		notes: input.notes,
		userIds: [...input.userIds],
		mode: input.mode,
		version: (previous?.version ?? 0) + 1,
		createdAt: previous?.createdAt ?? nowIso,
		updatedAt: nowIso,
		lastImportId: input.importId,
		importErrors: [...input.importErrors],
	};
	state.segments.set(input.tag, segment);
	return segment;
}
