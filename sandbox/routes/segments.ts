/**
 * POST /api/v1/segments: JSON mode here; multipart/form-data goes to file mode.
 */
import { bodyKind } from '../body';
import { missingFields, ok, type ApiResult } from '../envelope';
import { upsertSegment } from '../state';
import {
	checkString,
	checkTag,
	duplicatesWarning,
	isMissing,
	parseJsonSourceType,
	parseUserIds,
	throwIfErrors,
} from '../validation';
import { nowIso, readJsonBody, type RouteContext } from './context';
import { createSegmentFromFile } from './segmentFile';

export async function segmentsRoute(ctx: RouteContext): Promise<ApiResult> {
	if (bodyKind(ctx.req.headers['content-type']) === 'multipart') return createSegmentFromFile(ctx);
	const body = await readJsonBody(ctx, true);

	const missing = ['title', 'tag', 'userIds'].filter((field) => isMissing(body[field]));
	if (missing.length > 0) throw missingFields(missing);

	const errors: string[] = [];
	checkString('title', body.title, errors);
	checkTag(body.tag, errors);
	const { ids, duplicates } = parseUserIds(body.userIds, errors);
	const sourceType = parseJsonSourceType(body.sourceType, errors);
	if (body.notes !== undefined && body.notes !== null) checkString('notes', body.notes, errors);
	throwIfErrors(errors);

	const title = body.title as string;
	upsertSegment(
		ctx.state,
		{
			tag: body.tag as string,
			title,
			sourceType,
			notes: typeof body.notes === 'string' ? body.notes : null,
			userIds: ids,
			mode: 'json',
			importId: null,
			importErrors: [],
		},
		nowIso(ctx),
	);
	const messages = [`Segment ${title} queued ${ids.length} for import`];
	if (duplicates > 0) messages.push(duplicatesWarning(duplicates));
	return ok(messages);
}
