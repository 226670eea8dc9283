/**
 * POST /api/v1/segments in file mode (multipart/form-data with a `file` part).
 *
 * Checks, in order: missing title/tag/file (400), more than one file part (400), tag and
 * sourceType (400), extension (400), size over 10 MB (413), empty or unreadable file (400),
 * no user IDs (400). Then a dry run reports and persists nothing; otherwise the segment's
 * members are replaced, the attributes written, and an import id returned.
 */
import { MAX_FILE_BYTES } from '../config';
import { ApiError, missingFields, ok, type ApiResult } from '../envelope';
import { analyseRows, rowErrorMessages, type AnalysedImport } from '../fileImport';
import { ALLOWED_EXTENSIONS, extensionOf, FileFormatError, fileKindOf, readRows } from '../fileFormats';
import { midwayFailureMs, pendingPhaseMs } from '../imports';
import { parseMultipart } from '../multipart';
import { getOrCreateUser, upsertSegment, type ImportRecord, type RecordedFile } from '../state';
import { checkTag, isMissing, parseTextSourceType, throwIfErrors } from '../validation';
import { nowIso, type RouteContext } from './context';

export function isTruthyFlag(value: string | undefined): boolean {
	return /^(true|1|yes|on)$/i.test((value ?? '').trim());
}

function describeSize(bytes: number): string {
	return `${bytes / (1024 * 1024)} MB (${bytes} bytes)`;
}

function fileIsMissing(file: RecordedFile | null): boolean {
	return file === null || (file.fileName === '' && file.size === 0);
}

function analyseFile(file: RecordedFile, ctx: RouteContext): AnalysedImport {
	const kind = fileKindOf(file.fileName);
	if (kind === null) {
		const extension = extensionOf(file.fileName) || '(none)';
		throw new ApiError(400, [
			`Unsupported file type ${extension} for "${file.fileName}": allowed extensions are ${ALLOWED_EXTENSIONS.join(', ')}`,
		]);
	}
	if (file.truncated) {
		throw new ApiError(413, [`File too large: maximum size is ${describeSize(MAX_FILE_BYTES)}`]);
	}
	if (file.size === 0) throw new ApiError(400, [`File "${file.fileName}" is empty`]);
	let rows: string[][];
	try {
		rows = readRows(file.bytes, kind);
	} catch (error) {
		if (error instanceof FileFormatError) throw new ApiError(400, [`File "${file.fileName}": ${error.message}`]);
		throw error;
	}
	const analysed = analyseRows(rows, ctx.config);
	if (analysed.totalRows === 0) throw new ApiError(400, [`File "${file.fileName}" contains no user IDs`]);
	return analysed;
}

export async function createSegmentFromFile(ctx: RouteContext): Promise<ApiResult> {
	const { fields, file, filePartCount } = await parseMultipart(ctx.req, MAX_FILE_BYTES);
	ctx.record.multipart = { fields, file };
	const correlationId = (fields.correlation_id ?? '').trim();
	if (correlationId !== '') ctx.setCorrelationId(correlationId);

	const missing = ['title', 'tag'].filter((field) => isMissing(fields[field]));
	if (fileIsMissing(file)) missing.push('file');
	if (missing.length > 0) throw missingFields(missing);
	if (filePartCount > 1) throw new ApiError(400, ['Only one file may be uploaded per request']);

	const errors: string[] = [];
	checkTag(fields.tag, errors);
	const sourceType = parseTextSourceType(fields.sourceType, errors);
	throwIfErrors(errors);

	const upload = file as RecordedFile;
	const analysed = analyseFile(upload, ctx);
	const title = fields.title;
	const tag = fields.tag;
	const notes = fields.notes ?? null;
	const details = [...analysed.warnings, ...rowErrorMessages(analysed.rowErrors, analysed.rejectedRows)];

	if (isTruthyFlag(fields.dry_run)) {
		return ok([
			`Dry run: segment ${title} file validated, nothing was persisted`,
			`Rows: ${analysed.totalRows} (accepted ${analysed.acceptedRows}, rejected ${analysed.rejectedRows}); unique users: ${analysed.userIds.length}; header row: ${analysed.hasHeader ? 'yes' : 'no'}`,
			...details,
		]);
	}

	const now = ctx.nowMs();
	const iso = nowIso(ctx);
	const id = ctx.state.nextImportId;
	ctx.state.nextImportId += 1;
	const record: ImportRecord = {
		id,
		tag,
		title,
		sourceType,
		notes,
		fileName: upload.fileName,
		fileSize: upload.size,
		sha256: upload.sha256,
		createdAtMs: now,
		createdAt: iso,
		durationMs: ctx.config.importDurationMs,
		pendingMs: pendingPhaseMs(ctx.config.importDurationMs),
		totalUsers: analysed.userIds.length,
		totalRows: analysed.totalRows,
		acceptedRows: analysed.acceptedRows,
		rejectedRows: analysed.rejectedRows,
		rowErrors: analysed.rowErrors,
		warnings: details,
		forced: null,
	};
	// An import with no accepted users fails anyway, so it does not use up a midway failure.
	const midwayReason = analysed.userIds.length > 0 ? ctx.takeMidwayFailure() : null;
	if (midwayReason !== null) {
		record.midwayFailure = { afterMs: midwayFailureMs(ctx.config.importDurationMs), reason: midwayReason };
	}
	ctx.state.imports.set(id, record);

	// An import whose every row was rejected fails and leaves the segment as it was.
	if (analysed.userIds.length > 0) {
		upsertSegment(
			ctx.state,
			{ tag, title, sourceType, notes, userIds: analysed.userIds, mode: 'file', importId: id, importErrors: analysed.rowErrors },
			iso,
		);
		for (const [userId, writes] of analysed.attributes) {
			const user = getOrCreateUser(ctx.state, userId, iso);
			Object.assign(user.user_properties, writes.user_properties);
			Object.assign(user.custom, writes.custom);
			user.updatedAt = iso;
		}
	}

	return ok([`Segment ${title} file queued for import`, ...details], {
		firebase_imported_segment_id: id,
		lookup_key: tag,
	});
}
