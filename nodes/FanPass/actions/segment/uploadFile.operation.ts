import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { isSimplified, pick, simplifyProperty } from '../common/simplify.description';
import { preflightCsv } from '../../helpers/csvPreflight';
import { showOnlyFor } from '../../helpers/displayOptions';
import { generatedSegmentFile } from '../../helpers/generatedSegmentFile';
import { pollImport, readWaitBehaviour } from '../../helpers/importPolling';
import { readSegmentIdentity, readUserIds, type SegmentIdentity } from '../../helpers/itemFields';
import { asNodeError, failedItems, itemError, pairedItems } from '../../helpers/itemErrors';
import { OperationParameters } from '../../helpers/parameters';
import {
	checkFileSize,
	checkSegmentFile,
	defaultCorrelationId,
	fileExtension,
	knownBinarySize,
	uploadSegmentFile,
	type SegmentFile,
} from '../../helpers/segmentFile';
import { MAX_KEY_LENGTH, MAX_VALUE_LENGTH } from '../../helpers/userProperties';
import { segmentIdentityFields } from './segmentFields.description';
import { waitOptions } from './waitOptions.description';
import { waitResult } from './waitForImport.operation';

const properties: INodeProperties[] = [
	...segmentIdentityFields,
	{
		displayName: 'File From',
		name: 'fileSource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Binary Property', value: 'binary', description: 'A CSV, XLSX, XLS or ZIP file on each input item' },
			{
				name: 'Input Items (Build a CSV)',
				value: 'items',
				description: 'One row per item: a user ID and optional attribute columns; all items with the same tag make one file',
			},
		],
		default: 'binary',
		description: 'Where the file comes from',
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		placeholder: 'e.g. data',
		hint: 'The name of the input item\'s binary property that holds the file',
		description: 'First column: user IDs; further columns are written as user attributes. At most 10 MB.',
		displayOptions: { show: { fileSource: ['binary'] } },
	},
	{
		displayName: 'User ID',
		name: 'csvUserId',
		type: 'string',
		required: true,
		default: '={{ $json.user_id }}',
		placeholder: 'e.g. {{ $json.ticketing_id }}',
		description: 'The user ID of each item: the first column of the file',
		displayOptions: { show: { fileSource: ['items'] } },
	},
	{
		displayName: 'Attribute Columns',
		name: 'csvColumns',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Column',
		default: {},
		description:
			'Further columns, written to each user\'s record. Names must be platform user properties or custom attributes registered in the FanReach Portal, or FanPass rejects the row.',
		displayOptions: { show: { fileSource: ['items'] } },
		options: [
			{
				displayName: 'Column',
				name: 'column',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'e.g. loyalty_tier',
						description: 'Column header: a platform user property or a registered custom attribute',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'e.g. {{ $json.tier }}',
						description: 'The cell value for each item, usually an expression',
					},
				],
			},
		],
	},
	simplifyProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Correlation ID',
				name: 'correlationId',
				type: 'string',
				default: '',
				placeholder: 'e.g. crm-sync-2026-11-24',
				description: 'Traces the import in FanReach\'s logs. Empty: n8n-&lt;workflow ID&gt;-&lt;execution ID&gt;-&lt;tag&gt;.',
			},
			{
				displayName: 'Dry Run',
				name: 'dryRun',
				type: 'boolean',
				default: false,
				description: 'Whether FanPass should only validate the file, without changing the segment',
			},
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				placeholder: 'e.g. vip-fans.csv',
				description: 'Name of the generated CSV file. Empty: &lt;tag&gt;.csv.',
				displayOptions: { show: { '/fileSource': ['items'] } },
			},
			{
				displayName: 'Notes',
				name: 'notes',
				type: 'string',
				default: '',
				placeholder: 'e.g. Nightly CRM refresh',
				description: 'Shown in the FanReach Portal\'s import log',
			},
			{
				displayName: 'Wait for Import to Finish',
				name: 'waitForCompletion',
				type: 'boolean',
				default: false,
				description: 'Whether to poll the import until it is completed or failed before the node finishes',
			},
			...waitOptions({ waitForCompletion: [true] }),
		],
	},
];

export const description = showOnlyFor('segment', 'uploadFile', properties);

const SIMPLE_FIELDS = ['tag', 'importId', 'lookupKey', 'dryRun', 'fileName', 'state', 'warnings', 'correlationId'] as const;

interface UploadJob extends SegmentIdentity {
	itemIndexes: number[];
	options: IDataObject;
	file: SegmentFile;
	extra: IDataObject;
}

interface CsvGroup {
	job: Omit<UploadJob, 'file' | 'extra'>;
	columns: string[];
	/** Each user ID's attribute values (an item's IDs share its array). */
	rows: Map<string, string[]>;
	duplicates: number;
	empty: number;
	/** Values FanPass will cut to 36 characters, reported as Update User reports them. */
	warnings: string[];
}

async function readBinaryJob(context: IExecuteFunctions, params: OperationParameters, itemIndex: number): Promise<UploadJob> {
	const fields = readSegmentIdentity(context, params, itemIndex);
	const property = params.text('binaryPropertyName', itemIndex);
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
	const fileName = (metadata.fileName ?? fields.tag).trim();
	const knownSize = await knownBinarySize(context, metadata);
	if (knownSize !== undefined) checkFileSize(context, fileName, knownSize, itemIndex);
	const data = await context.helpers.getBinaryDataBuffer(itemIndex, property);
	const file: SegmentFile = { fileName, mimeType: metadata.mimeType, data };
	checkSegmentFile(context, file, itemIndex);
	const extra: IDataObject = {};
	if (fileExtension(file) === 'csv') extra.preflight = { ...preflightCsv(data) };
	return { ...fields, itemIndexes: [itemIndex], options: params.get('options', itemIndex) as IDataObject, file, extra };
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

function readCsvRow(context: IExecuteFunctions, params: OperationParameters, itemIndex: number) {
	const pairs = (params.get('csvColumns.column', itemIndex) as Array<{ name?: string; value?: unknown }>) ?? [];
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
	const warnings = values.flatMap((value, index) =>
		value.length > MAX_VALUE_LENGTH
			? [`item ${itemIndex}: column "${columns[index]}": the value has ${value.length} characters; FanPass keeps only the first ${MAX_VALUE_LENGTH} ("${value.slice(0, MAX_VALUE_LENGTH)}")`]
			: [],
	);
	return { columns, values, warnings };
}

function readCsvGroups(
	context: IExecuteFunctions,
	params: OperationParameters,
	items: INodeExecutionData[],
	output: INodeExecutionData[],
): CsvGroup[] {
	const groups = new Map<string, CsvGroup>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const fields = readSegmentIdentity(context, params, itemIndex);
			const { ids, empty } = readUserIds(context, params, itemIndex, 'csvUserId', false);
			const { columns, values, warnings } = readCsvRow(context, params, itemIndex);
			let group = groups.get(fields.tag);
			if (!group) {
				const options = params.get('options', itemIndex) as IDataObject;
				group = { job: { ...fields, options, itemIndexes: [] }, columns, rows: new Map(), duplicates: 0, empty: 0, warnings: [] };
				groups.set(fields.tag, group);
			} else if (group.job.title !== fields.title || group.columns.join('\u0000') !== columns.join('\u0000')) {
				throw itemError(
					context,
					itemIndex,
					`gives segment "${fields.tag}" a different title or columns than item ${group.job.itemIndexes[0]}; one file has one title and one header`,
				);
			}
			group.job.itemIndexes.push(itemIndex);
			group.warnings.push(...warnings);
			group.empty += empty;
			for (const id of ids) {
				if (group.rows.has(id)) group.duplicates++;
				else group.rows.set(id, values);
			}
		} catch (error) {
			output.push(failedItems(context, error, [itemIndex]));
		}
	}
	return [...groups.values()];
}

async function csvJob(context: IExecuteFunctions, group: CsvGroup): Promise<UploadJob> {
	if (group.rows.size === 0) {
		throw itemError(context, group.job.itemIndexes[0], `segment "${group.job.tag}" has no user IDs to put in the file (${group.empty} empty)`);
	}
	const fileName = String(group.job.options.fileName ?? '').trim() || `${group.job.tag}.csv`;
	const { file, zippedFrom } = await generatedSegmentFile(context, group.job.itemIndexes[0], {
		tag: group.job.tag,
		fileName,
		rows: { header: ['user_id', ...group.columns], ids: { [Symbol.iterator]: () => group.rows.keys(), forEach: (visit) => group.rows.forEach((_values, id) => visit(id)) }, valuesOf: (id) => group.rows.get(id) ?? [] },
		idCount: group.rows.size,
	});
	checkSegmentFile(context, file, group.job.itemIndexes[0]);
	return {
		...group.job,
		file,
		extra: {
			...(zippedFrom ? { zippedFrom } : {}),
			rows: group.rows.size,
			duplicatesRemoved: group.duplicates,
			emptyRemoved: group.empty,
			columns: group.columns,
			...(group.warnings.length > 0 ? { warnings: group.warnings } : {}),
		},
	};
}

async function runJob(context: IExecuteFunctions, baseUrl: string, job: UploadJob): Promise<IDataObject> {
	const target = { baseUrl, itemIndex: job.itemIndexes[0] };
	const options = job.options;
	const result = await uploadSegmentFile(context, target, {
		title: job.title,
		tag: job.tag,
		sourceType: job.sourceType,
		notes: String(options.notes ?? ''),
		dryRun: options.dryRun === true,
		correlationId: String(options.correlationId ?? '').trim() || defaultCorrelationId(context, job.tag),
		file: job.file,
	});
	const fanPassWarnings = (result.warnings as string[] | undefined) ?? [];
	Object.assign(result, job.extra);
	const warnings = [...((job.extra.warnings as string[] | undefined) ?? []), ...fanPassWarnings];
	if (warnings.length > 0) result.warnings = warnings;
	if (options.waitForCompletion === true && typeof result.importId === 'number') {
		const importId = result.importId;
		const behaviour = readWaitBehaviour(options);
		try {
			const outcome = await pollImport(context, target, importId, behaviour.poll);
			result.wait = waitResult(context, importId, outcome, behaviour, target.itemIndex);
			result.state = (result.wait as IDataObject).state;
		} catch (error) {
			// The file is with FanPass: whatever went wrong while waiting, say so and keep its ids.
			const failed = asNodeError(context, error, target.itemIndex);
			failed.description = `FanPass accepted the file (importId ${importId}, lookupKey ${String(result.lookupKey)}); only waiting for the import failed. ${failed.description ?? ''}`.trim();
			throw Object.assign(failed, { acceptedUpload: { importId, lookupKey: result.lookupKey } });
		}
	}
	return result;
}

async function readJobs(
	context: IExecuteFunctions,
	params: OperationParameters,
	items: INodeExecutionData[],
	output: INodeExecutionData[],
): Promise<UploadJob[]> {
	const jobs: UploadJob[] = [];
	if (params.get('fileSource', 0) === 'items') {
		for (const group of readCsvGroups(context, params, items, output)) {
			try {
				jobs.push(await csvJob(context, group));
			} catch (error) {
				output.push(failedItems(context, error, group.job.itemIndexes));
			}
		}
		return jobs;
	}
	const tagsSeen = new Map<string, number>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const job = await readBinaryJob(context, params, itemIndex);
			const earlier = tagsSeen.get(job.tag);
			if (earlier !== undefined) {
				throw itemError(
					context,
					itemIndex,
					`uploads a second file for segment "${job.tag}" (item ${earlier} has the first); each upload replaces the segment, so only the last file would count`,
					'Merge the files into one first, or give each file its own tag.',
				);
			}
			tagsSeen.set(job.tag, itemIndex);
			jobs.push(job);
		} catch (error) {
			output.push(failedItems(context, error, [itemIndex]));
		}
	}
	return jobs;
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	baseUrl: string,
): Promise<INodeExecutionData[]> {
	const params = new OperationParameters(this, description);
	const simplify = isSimplified(this, () => params.get('simplify', 0));
	const output: INodeExecutionData[] = [];
	for (const job of await readJobs(this, params, items, output)) {
		try {
			const json = await runJob(this, baseUrl, job);
			output.push({ json: simplify ? (pick(json, SIMPLE_FIELDS) as IDataObject) : json, pairedItem: pairedItems(job.itemIndexes) });
		} catch (error) {
			const accepted = (error as { acceptedUpload?: IDataObject }).acceptedUpload;
			const extra: IDataObject = { tag: job.tag };
			if (accepted) {
				Object.assign(extra, accepted, {
					uploaded: true,
					uploadNote: 'FanPass accepted the file; only waiting for the import failed. Follow it with Wait for Import and this importId.',
				});
			}
			output.push(failedItems(this, error, job.itemIndexes, extra));
		}
	}
	return output;
}
