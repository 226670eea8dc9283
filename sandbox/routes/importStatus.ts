/**
 * POST /api/v1/segment_import_status: `{firebase_imported_segment_id}` (alias `segment_id`),
 * an integer or a string of digits. Unknown id: 404.
 */
import { ApiError, ok, WARNING_PREFIX, type ApiResult } from '../envelope';
import { computeImportStatus, failureReason } from '../imports';
import { isMissing } from '../validation';
import { rowErrorMessages } from '../fileImport';
import { readJsonBody, type RouteContext } from './context';

const FIELD = 'firebase_imported_segment_id';

export function parseImportId(value: unknown): number | null {
	if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
	if (typeof value === 'string' && /^\d{1,15}$/.test(value.trim())) return Number(value.trim());
	return null;
}

export async function importStatusRoute(ctx: RouteContext): Promise<ApiResult> {
	const body = await readJsonBody(ctx);
	const raw = isMissing(body[FIELD]) ? body.segment_id : body[FIELD];
	if (isMissing(raw)) throw new ApiError(400, [`Missing required field: ${FIELD}`]);
	const id = parseImportId(raw);
	if (id === null) throw new ApiError(400, [`Invalid field "${FIELD}": must be an integer`]);

	const record = ctx.state.imports.get(id);
	if (!record) throw new ApiError(404, [`Segment import ${id} not found`]);

	const importStatus = computeImportStatus(record, ctx.nowMs());
	const messages: string[] = [];
	if (importStatus.state === 'failed') messages.push(`Import failed: ${failureReason(record)}`);
	if ((importStatus.state === 'completed' || importStatus.state === 'failed') && record.rejectedRows > 0) {
		messages.push(`${WARNING_PREFIX}${record.rejectedRows} of ${record.totalRows} rows rejected`);
		messages.push(...rowErrorMessages(record.rowErrors, record.rejectedRows));
	}
	return ok(messages, { import_status: importStatus });
}
