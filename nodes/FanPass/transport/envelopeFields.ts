import { NodeApiError, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';

import type { FanPassEnvelope } from './envelope';

const MAX_SHOWN = 80;

function shown(value: unknown): string {
	if (value === undefined) return 'absent';
	const text = JSON.stringify(value) ?? String(value);
	return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

const isMissing = (value: unknown) =>
	value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/**
 * FanPass said success but left out a field the node needs: an error that names the field,
 * what it is for and the correlationId, so FanReach support can trace the request.
 */
export function missingFieldError(
	context: IExecuteFunctions,
	envelope: FanPassEnvelope,
	field: string,
	itemIndex: number,
	purpose: string,
	problem = 'without',
): NodeApiError {
	const trace = envelope.correlationId ? ` (correlationId ${envelope.correlationId})` : '';
	const value = envelope[field];
	const what = problem === 'without' ? `without ${field}` : `with ${field} ${shown(value)}, ${problem}`;
	const error = new NodeApiError(
		context.getNode(),
		{ correlationId: envelope.correlationId, field, value: shown(value) } as JsonObject,
		{
			message: `FanPass answered with success (status ${envelope.status || 200}) but ${what}: ${purpose}`,
			description: `FanPass's messages: ${envelope.messages.join(' | ') || '(none)'}${trace}. Give the correlationId to FanReach support to find out whether the request was applied.`,
			itemIndex,
		},
	);
	error.context.correlationId = envelope.correlationId;
	return error;
}

/** The field's value, or an error naming it when FanPass's success left it out (absent, null or blank). */
export function requireField(
	context: IExecuteFunctions,
	envelope: FanPassEnvelope,
	field: string,
	itemIndex: number,
	purpose: string,
): unknown {
	const value = envelope[field];
	if (isMissing(value)) throw missingFieldError(context, envelope, field, itemIndex, purpose);
	return value;
}

/** Reads an id FanPass may send as a number or as numeric text ("1001"); undefined for anything else. */
export function readId(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
	if (typeof value !== 'string' || !/^\s*\d{1,16}\s*$/.test(value)) return undefined;
	const id = Number(value.trim());
	return Number.isSafeInteger(id) ? id : undefined;
}

export const IMPORT_ID_FIELD = 'firebase_imported_segment_id';

/**
 * The import id of a file upload's success (a number, or numeric text), or an error saying it is
 * missing or unreadable: without it the import cannot be followed, so success cannot be reported.
 */
export function requireImportId(context: IExecuteFunctions, envelope: FanPassEnvelope, itemIndex: number): number {
	const purpose = 'the import ID is needed to follow the import (Wait for Import, Get Import Status), so the node cannot report the upload as done. The file may have been accepted.';
	const value = requireField(context, envelope, IMPORT_ID_FIELD, itemIndex, purpose);
	const id = readId(value);
	if (id === undefined) throw missingFieldError(context, envelope, IMPORT_ID_FIELD, itemIndex, purpose, 'which is not a whole number');
	return id;
}
