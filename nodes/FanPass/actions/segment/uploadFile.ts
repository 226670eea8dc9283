import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { buildCsv } from '../../helpers/csv';
import { preflightCsv } from '../../helpers/csvPreflight';
import { pollImport } from '../../helpers/importStatus';
import { asNodeError, errorItem, itemError, pairedItems } from '../../helpers/itemErrors';
import { readWaitBehaviour } from '../../helpers/pollSettings';
import { checkSegmentFile, defaultCorrelationId, fileExtension, uploadSegmentFile, type SegmentFile } from '../../helpers/segmentFile';
import { readSegmentFields, readUserIds } from '../../helpers/itemFields';
import { MAX_KEY_LENGTH } from '../../helpers/userProperties';
import { waitResult } from './waitForImport';
import { readParameter } from '../../helpers/readParameter';

interface UploadJob {
	itemIndexes: number[];
	tag: string;
	title: string;
	sourceType: number;
	options: IDataObject;
	file: SegmentFile;
	extra: IDataObject;
}

interface CsvGroup {
	job: Omit<UploadJob, 'file' | 'extra'>;
	columns: string[];
	rows: Map<string, string[]>;
	duplicates: number;
	empty: number;
}

async function readBinaryJob(context: IExecuteFunctions, itemIndex: number): Promise<UploadJob> {
	const fields = readSegmentFields(context, itemIndex);
	const property = String(readParameter(context, 'binaryPropertyName', itemIndex, 'data')).trim();
	const item = context.getInputData()[itemIndex];
	if (!item.binary?.[property]) {
		const available = Object.keys(item.binary ?? {});
		throw itemError(
			context,
			itemIndex,
			`there is no binary property "${property}" to upload`,
			available.length > 0
				? `This item has binary properties: ${available.join(', ')}. Set Input Binary Field to one of them.`
				: 'This item has no file. Read one first, e.g. with Read/Write Files from Disk or an HTTP Request that downloads a file.',
		);
	}
	const metadata = context.helpers.assertBinaryData(itemIndex, property);
	const data = await context.helpers.getBinaryDataBuffer(itemIndex, property);
	const file: SegmentFile = { fileName: metadata.fileName ?? `${fields.tag}`, mimeType: metadata.mimeType, data };
	checkSegmentFile(context, file, itemIndex);
	const extra: IDataObject = {};
	if (fileExtension(file) === 'csv') extra.preflight = { ...preflightCsv(data) };
	return { ...fields, itemIndexes: [itemIndex], file, extra };
}

function readCsvGroups(context: IExecuteFunctions, items: INodeExecutionData[], output: INodeExecutionData[]): CsvGroup[] {
	const groups = new Map<string, CsvGroup>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const fields = readSegmentFields(context, itemIndex);
			const { ids, empty } = readUserIds(context, itemIndex, 'csvUserId', false);
			const pairs = (readParameter(context, 'csvColumns.column', itemIndex, []) as Array<{ name?: string; value?: unknown }>) ?? [];
			const columns = pairs.map((pair) => String(pair.name ?? '').trim());
			const columnProblem = checkCsvColumns(columns);
			if (columnProblem) throw itemError(context, itemIndex, `Attribute Columns: ${columnProblem}`);
			const values = pairs.map((pair) => {
				const value = pair.value;
				if (value !== null && typeof value === 'object') {
					throw itemError(context, itemIndex, `column "${String(pair.name)}" is an object or list; a CSV cell holds one value`);
				}
				return value === undefined || value === null ? '' : String(value);
			});
			let group = groups.get(fields.tag);
			if (!group) {
				group = { job: { ...fields, itemIndexes: [] }, columns, rows: new Map(), duplicates: 0, empty: 0 };
				groups.set(fields.tag, group);
			} else if (group.job.title !== fields.title || group.columns.join('\u0000') !== columns.join('\u0000')) {
				throw itemError(
					context,
					itemIndex,
					`gives segment "${fields.tag}" a different title or columns than item ${group.job.itemIndexes[0]}; one file has one title and one header`,
				);
			}
			group.job.itemIndexes.push(itemIndex);
			group.empty += empty;
			for (const id of ids) {
				if (group.rows.has(id)) group.duplicates++;
				else group.rows.set(id, [id, ...values]);
			}
		} catch (error) {
			if (!context.continueOnFail()) throw asNodeError(context, error, itemIndex);
			output.push(errorItem(error as Error, [itemIndex]));
		}
	}
	return [...groups.values()];
}

function csvJob(context: IExecuteFunctions, group: CsvGroup): UploadJob {
	if (group.rows.size === 0) {
		throw itemError(context, group.job.itemIndexes[0], `segment "${group.job.tag}" has no user IDs to put in the file (${group.empty} empty)`);
	}
	const fileName = String(group.job.options.fileName ?? '').trim() || `${group.job.tag}.csv`;
	const data = buildCsv([['user_id', ...group.columns], ...group.rows.values()]);
	checkSegmentFile(context, { fileName, data }, group.job.itemIndexes[0]);
	return {
		...group.job,
		file: { fileName, mimeType: 'text/csv', data },
		extra: { rows: group.rows.size, duplicatesRemoved: group.duplicates, emptyRemoved: group.empty, columns: group.columns },
	};
}

async function runJob(context: IExecuteFunctions, baseUrl: string, job: UploadJob): Promise<IDataObject> {
	const first = job.itemIndexes[0];
	const options = job.options;
	const result = await uploadSegmentFile(
		context,
		baseUrl,
		{
			title: job.title,
			tag: job.tag,
			sourceType: job.sourceType,
			notes: String(options.notes ?? ''),
			dryRun: options.dryRun === true,
			correlationId: String(options.correlationId ?? '').trim() || defaultCorrelationId(context, job.tag),
			file: job.file,
		},
		first,
	);
	Object.assign(result, job.extra);
	if (options.waitForCompletion === true && typeof result.importId === 'number') {
		const behaviour = readWaitBehaviour(options);
		const outcome = await pollImport(context, baseUrl, result.importId, first, behaviour.poll);
		result.wait = waitResult(context, result.importId, outcome, behaviour, first);
	}
	return result;
}

export async function uploadSegmentFiles(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	baseUrl: string,
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	const jobs: UploadJob[] = [];
	const fromItems = this.getNodeParameter('fileSource', 0, 'binary') === 'items';

	if (fromItems) {
		for (const group of readCsvGroups(this, items, output)) {
			try {
				jobs.push(csvJob(this, group));
			} catch (error) {
				if (!this.continueOnFail()) throw asNodeError(this, error, group.job.itemIndexes[0]);
				output.push(errorItem(error as Error, group.job.itemIndexes));
			}
		}
	} else {
		const tagsSeen = new Map<string, number>();
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const job = await readBinaryJob(this, itemIndex);
				const earlier = tagsSeen.get(job.tag);
				if (earlier !== undefined) {
					throw itemError(
						this,
						itemIndex,
						`uploads a second file for segment "${job.tag}" (item ${earlier} has the first); each upload replaces the segment, so only the last file would count`,
						'Merge the files into one first, or give each file its own tag.',
					);
				}
				tagsSeen.set(job.tag, itemIndex);
				jobs.push(job);
			} catch (error) {
				if (!this.continueOnFail()) throw asNodeError(this, error, itemIndex);
				output.push(errorItem(error as Error, [itemIndex]));
			}
		}
	}

	for (const job of jobs) {
		try {
			output.push({ json: await runJob(this, baseUrl, job), pairedItem: pairedItems(job.itemIndexes) });
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(this, error, job.itemIndexes[0]);
			const failed = errorItem(error as Error, job.itemIndexes);
			failed.json.tag = job.tag;
			output.push(failed);
		}
	}
	return output;
}

/** A CSV header FanPass would half-ignore: its rows would be rejected or the attribute dropped. */
function checkCsvColumns(columns: string[]): string | undefined {
	const seen = new Set<string>(['user_id']);
	for (const column of columns) {
		if (column === '') return 'a column has no name';
		if (column.length > MAX_KEY_LENGTH) {
			return `column "${column}" has ${column.length} characters; FanPass ignores attribute names over ${MAX_KEY_LENGTH}`;
		}
		if (seen.has(column.toLowerCase())) {
			return column.toLowerCase() === 'user_id'
				? 'column "user_id" is the User ID column already; remove it from the Attribute Columns'
				: `column "${column}" appears twice`;
		}
		seen.add(column.toLowerCase());
	}
	return undefined;
}
