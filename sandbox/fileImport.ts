/**
 * From file rows to an import: header detection, column resolution, row acceptance.
 *
 * - The first column is the user ID. A first row whose first cell is an ID label (`user_id`,
 *   `userId`, `User ID`, `id`, ...) is a header; otherwise the file has no header.
 * - Each further column is resolved like an update_user key: Platform User Property, else
 *   registered Custom Attribute. Reserved or over-long names: the column is ignored with a
 *   warning. Unknown names (and columns without a header): a row with a value in such a column
 *   is rejected, and the rejection recorded as a row error.
 * - Blank rows are skipped. A row without a user ID is rejected. Duplicate IDs count once (the
 *   last row's attribute values win). Values are stored as text, truncated to 36 characters.
 */
import {
	describeIgnoreReason,
	resolveKey,
	truncate,
	type AttributeTarget,
} from './attributes';
import { MAX_VALUE_LENGTH, type SandboxConfig } from './config';
import { WARNING_PREFIX } from './envelope';
import { duplicatesWarning } from './validation';

/** ID labels, compared lowercase with non-alphanumerics removed (so `user_id` = `User ID`). */
const ID_LABELS = new Set([
	'id',
	'userid',
	'user',
	'uid',
	'userids',
	'ticketingid',
	'ticketid',
	'fanid',
	'externalid',
	'customerid',
	'memberid',
	'accountid',
	'subscriberid',
	'loyaltyid',
	'pushid',
	'adid',
	'identifier',
]);

export function isIdLabel(cell: string): boolean {
	return ID_LABELS.has(cell.toLowerCase().replace(/[^a-z0-9]/g, ''));
}

/** How many row errors are kept on an import. */
export const MAX_ROW_ERRORS = 1000;

type Column =
	| { kind: 'write'; name: string; target: AttributeTarget }
	| { kind: 'ignore'; name: string }
	| { kind: 'reject'; reason: string };

export interface AnalysedImport {
	hasHeader: boolean;
	header: string[] | null;
	/** Non-blank data rows. */
	totalRows: number;
	acceptedRows: number;
	rejectedRows: number;
	/** Unique accepted user IDs, first-seen order. */
	userIds: string[];
	duplicateIds: number;
	/** Attribute writes per accepted user ID. */
	attributes: Map<string, { user_properties: Record<string, string>; custom: Record<string, string> }>;
	/** `row N rejected: ...` (1-based line in the sheet, header included), capped. */
	rowErrors: string[];
	/** Column-level and summary warnings, `Warning: `-prefixed. */
	warnings: string[];
}

function resolveColumns(header: string[] | null, width: number, config: SandboxConfig, warnings: string[]): Column[] {
	const columns: Column[] = [];
	for (let index = 1; index < width; index += 1) {
		const name = header?.[index]?.trim() ?? '';
		if (name === '') {
			columns[index] = {
				kind: 'reject',
				reason: header ? `column ${index + 1} has no header` : `column ${index + 1} has no header (the file has no header row)`,
			};
			continue;
		}
		const resolution = resolveKey(name, config);
		if (resolution.kind === 'write') {
			columns[index] = { kind: 'write', name, target: resolution.target };
		} else if (resolution.reason === 'unknown') {
			columns[index] = { kind: 'reject', reason: `column "${name}" is ${describeIgnoreReason('unknown')}` };
		} else {
			columns[index] = { kind: 'ignore', name };
			warnings.push(`${WARNING_PREFIX}column "${name}" ignored: ${describeIgnoreReason(resolution.reason)}`);
		}
	}
	return columns;
}

/** How many row errors are echoed in a response's messages. */
const ROW_ERRORS_IN_RESPONSE = 10;

/** Row errors as `Warning: row N rejected: ...` messages, the first ten and a count of the rest. */
export function rowErrorMessages(rowErrors: string[], rejectedRows: number): string[] {
	const shown = rowErrors.slice(0, ROW_ERRORS_IN_RESPONSE).map((error) => `${WARNING_PREFIX}${error}`);
	if (rejectedRows > shown.length) shown.push(`${WARNING_PREFIX}... and ${rejectedRows - shown.length} more rejected rows`);
	return shown;
}

export function analyseRows(rows: string[][], config: SandboxConfig): AnalysedImport {
	const warnings: string[] = [];
	const first = rows[0];
	const hasHeader = first !== undefined && isIdLabel((first[0] ?? '').trim());
	const header = hasHeader ? first : null;
	const dataRows = hasHeader ? rows.slice(1) : rows;
	let width = Math.max(header?.length ?? 0, 1);
	for (const row of dataRows) if (row.length > width) width = row.length;
	const columns = resolveColumns(header, width, config, warnings);

	const result: AnalysedImport = {
		hasHeader,
		header,
		totalRows: 0,
		acceptedRows: 0,
		rejectedRows: 0,
		userIds: [],
		duplicateIds: 0,
		attributes: new Map(),
		rowErrors: [],
		warnings,
	};
	const seen = new Set<string>();
	const truncatedByColumn = new Map<string, number>();

	dataRows.forEach((row, index) => {
		const rowNumber = index + (hasHeader ? 2 : 1);
		if (row.every((cell) => cell.trim() === '')) return;
		result.totalRows += 1;
		const reject = (reason: string) => {
			result.rejectedRows += 1;
			if (result.rowErrors.length < MAX_ROW_ERRORS) result.rowErrors.push(`row ${rowNumber} rejected: ${reason}`);
		};

		const userId = (row[0] ?? '').trim();
		if (userId === '') return reject('missing user ID in the first column');
		for (let column = 1; column < row.length; column += 1) {
			const spec = columns[column];
			if (spec.kind === 'reject' && row[column].trim() !== '') return reject(spec.reason);
		}

		result.acceptedRows += 1;
		if (seen.has(userId)) result.duplicateIds += 1;
		else {
			seen.add(userId);
			result.userIds.push(userId);
		}
		for (let column = 1; column < row.length; column += 1) {
			const spec = columns[column];
			const cell = row[column];
			if (spec.kind !== 'write' || cell.trim() === '') continue;
			const { text, truncated } = truncate(cell);
			if (truncated) truncatedByColumn.set(spec.name, (truncatedByColumn.get(spec.name) ?? 0) + 1);
			let entry = result.attributes.get(userId);
			if (!entry) {
				entry = { user_properties: {}, custom: {} };
				result.attributes.set(userId, entry);
			}
			entry[spec.target][spec.name] = text;
		}
	});

	for (const [name, count] of truncatedByColumn) {
		warnings.push(`${WARNING_PREFIX}${count} ${count === 1 ? 'value' : 'values'} in column "${name}" truncated to ${MAX_VALUE_LENGTH} characters`);
	}
	if (result.duplicateIds > 0) warnings.push(duplicatesWarning(result.duplicateIds));
	if (result.rejectedRows > 0) {
		warnings.push(`${WARNING_PREFIX}${result.rejectedRows} of ${result.totalRows} rows rejected`);
	}
	return result;
}
