import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { fanPassRequest } from '../transport';
import { sleepUnlessCancelled } from './cancellableSleep';
import { itemError } from './itemErrors';

export type ImportState = 'pending' | 'processing' | 'completed' | 'failed';

export interface ImportStatus extends IDataObject {
	state: ImportState;
	total_users: number;
	done: number;
	remaining: number;
	percent: number | null;
	firestore_status: string | null;
}

export interface PollSettings {
	intervalMs: number;
	maxWaitMs: number;
	/** Each wait is the previous one times this, up to maxIntervalMs. */
	backoff: number;
	maxIntervalMs: number;
}

export interface PollOutcome {
	status: ImportStatus;
	correlationId: string;
	polls: number;
	waitedMs: number;
	timedOut: boolean;
}

/** Reads an import id the way a user may give it (number or numeric text), or fails naming the item. */
export function parseImportId(context: IExecuteFunctions, value: unknown, itemIndex: number): number {
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
		const shown = value === undefined || value === null || value === '' ? 'empty' : `"${typeof value === 'object' ? JSON.stringify(value) : String(value)}"`;
		throw itemError(
			context,
			itemIndex,
			`the import ID is ${shown}, not a whole number`,
			'Use the importId that Upload Segment File (or Upsert Segment in file mode) outputs, e.g. {{ $json.importId }}.',
		);
	}
	return Number(text);
}

export async function getImportStatus(
	context: IExecuteFunctions,
	baseUrl: string,
	importId: number,
	itemIndex: number,
): Promise<{ status: ImportStatus; correlationId: string }> {
	const envelope = await fanPassRequest(context, {
		baseUrl,
		endpoint: '/api/v1/segment_import_status',
		body: { firebase_imported_segment_id: importId },
		itemIndex,
	});
	const status = envelope.import_status as ImportStatus | undefined;
	if (!status || typeof status !== 'object' || typeof status.state !== 'string') {
		throw itemError(context, itemIndex, `FanPass answered the status request for import ${importId} without an import_status`);
	}
	return { status, correlationId: envelope.correlationId };
}

const isFinished = (state: string) => state === 'completed' || state === 'failed';

/** Polls an import until it is completed or failed, or until the maximum wait has passed. */
export async function pollImport(
	context: IExecuteFunctions,
	baseUrl: string,
	importId: number,
	itemIndex: number,
	settings: PollSettings,
): Promise<PollOutcome> {
	const started = Date.now();
	let interval = settings.intervalMs;
	let polls = 0;
	for (;;) {
		const { status, correlationId } = await getImportStatus(context, baseUrl, importId, itemIndex);
		polls++;
		const waitedMs = Date.now() - started;
		if (isFinished(status.state)) return { status, correlationId, polls, waitedMs, timedOut: false };
		const left = settings.maxWaitMs - waitedMs;
		if (left <= 0) return { status, correlationId, polls, waitedMs, timedOut: true };
		await sleepUnlessCancelled(
			context,
			Math.min(interval, left),
			() => new NodeOperationError(context.getNode(), `The wait for import ${importId} was cancelled`, { itemIndex }),
		);
		interval = Math.min(settings.maxIntervalMs, Math.round(interval * settings.backoff));
	}
}
