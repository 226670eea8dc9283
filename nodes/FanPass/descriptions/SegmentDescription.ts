import type { INodeProperties } from 'n8n-workflow';

import { segmentFileFields } from './SegmentFileDescription';

const showFor = (operation: string[]) => ({ show: { resource: ['segment'], operation } });

export const segmentOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		description: 'What to do with Imported Segments',
		displayOptions: { show: { resource: ['segment'] } },
		options: [
			{
				name: 'Get Import Status',
				value: 'getImportStatus',
				action: "Get an import's status",
				description: 'Read the progress of a file import once, without waiting',
			},
			{
				name: 'Upload File',
				value: 'uploadFile',
				action: 'Upload a segment file',
				description:
					'Create or replace a segment from a CSV, XLSX, XLS or ZIP file (from a binary property, or built from the input items)',
			},
			{
				name: 'Upsert',
				value: 'upsert',
				action: 'Upsert a segment',
				description:
					'Create an Imported Segment, or replace all members of an existing one, from the user IDs of the input items',
			},
			{
				name: 'Wait for Import',
				value: 'waitForImport',
				action: 'Wait for an import',
				description: 'Poll a file import until it is completed or failed',
			},
		],
		default: 'upsert',
	},
];

export const SOURCE_TYPE_OPTIONS = [
	{ name: 'Ticketing ID', value: 0, description: 'User IDs are ticketing account IDs' },
	{ name: 'Push Notification ID (Coming Soon)', value: 1, description: 'Announced by FanReach, not yet available' },
	{ name: 'Loyalty ID (Coming Soon)', value: 2, description: 'Announced by FanReach, not yet available' },
	{ name: 'Ad ID (Coming Soon)', value: 3, description: 'Announced by FanReach, not yet available' },
	{ name: 'Subscriber ID (Coming Soon)', value: 4, description: 'Announced by FanReach, not yet available' },
];

export const segmentUpsertFields: INodeProperties[] = [
	{
		displayName:
			'FanPass replaces a segment\'s whole member list on every call ("rinse and replace"). This node therefore sends all items with the same tag as one request.',
		name: 'rinseAndReplaceNotice',
		type: 'notice',
		default: '',
		displayOptions: showFor(['upsert']),
	},
	{
		displayName: 'Segment Title',
		name: 'title',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Season Ticket Holders 2026',
		description: 'Friendly name of the segment, shown in the FanReach Portal',
		displayOptions: showFor(['upsert', 'uploadFile']),
	},
	{
		displayName: 'Segment Tag',
		name: 'tag',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. seasonTicketHolders2026',
		hint: 'Letters and digits only. Reusing a tag replaces that segment\'s members.',
		description:
			'Unique key of the segment: letters and digits only, no spaces. An existing tag has its members replaced; a new one is created. Items may give different tags (one request per tag).',
		displayOptions: showFor(['upsert', 'uploadFile']),
	},
	{
		displayName: 'Source Type',
		name: 'sourceType',
		type: 'options',
		options: SOURCE_TYPE_OPTIONS,
		default: 0,
		description: 'What kind of IDs the user IDs are',
		displayOptions: showFor(['upsert', 'uploadFile']),
	},
	{
		displayName: 'User IDs From',
		name: 'userIdSource',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Input Items (One or More IDs per Item)',
				value: 'items',
				description: 'Each input item gives its user ID(s), e.g. one CRM contact per item',
			},
			{
				name: 'A List',
				value: 'list',
				description: 'A comma or newline separated list, or an expression that returns an array',
			},
		],
		default: 'items',
		description: 'Where the members of the segment come from',
		displayOptions: showFor(['upsert']),
	},
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		required: true,
		default: '={{ $json.user_id }}',
		placeholder: 'e.g. {{ $json.ticketing_id }}',
		hint: 'Evaluated for every input item. An array gives several IDs.',
		description: 'The user ID of each input item, usually an expression that reads a field',
		displayOptions: { show: { resource: ['segment'], operation: ['upsert'], userIdSource: ['items'] } },
	},
	{
		displayName: 'User IDs',
		name: 'userIdList',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		placeholder: 'e.g. 12345, 54321, 56435',
		hint: 'Separate IDs with commas or new lines, or use an expression that returns an array',
		description: 'The complete member list of the segment: IDs not in it are removed from the segment',
		displayOptions: { show: { resource: ['segment'], operation: ['upsert'], userIdSource: ['list'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor(['upsert']),
		options: [
			{
				displayName: 'Notes',
				name: 'notes',
				type: 'string',
				default: '',
				placeholder: 'e.g. Nightly CRM refresh',
				description: 'Shown in the FanReach Portal\'s import log, e.g. a batch ID',
			},
			{
				displayName: 'When the ID List Is Empty',
				name: 'emptyList',
				type: 'options',
				options: [
					{
						name: 'Stop With an Error',
						value: 'error',
						description: 'FanPass refuses an empty list; the segment is left as it is',
					},
					{
						name: 'Skip the Segment',
						value: 'skip',
						description: 'Send nothing for that tag and output an item that says it was skipped',
					},
				],
				default: 'error',
				description: 'What to do when a tag ends up with no user IDs',
			},
			{
				displayName: 'File Mode Threshold',
				name: 'fileModeThreshold',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 10000,
				description:
					'A segment with more user IDs than this is sent as one CSV file (FanPass\'s recommended mode for large segments) instead of a JSON list. The output then has an importId for Wait for Import.',
			},
		],
	},
];

export const segmentDescription: INodeProperties[] = [...segmentOperations, ...segmentUpsertFields, ...segmentFileFields];
