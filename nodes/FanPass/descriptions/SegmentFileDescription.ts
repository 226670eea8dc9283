import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

const forUpload = { show: { resource: ['segment'], operation: ['uploadFile'] } };
const forImport = { show: { resource: ['segment'], operation: ['waitForImport', 'getImportStatus'] } };

/** Poll options shared by Wait for Import and Upload File's "Wait for Import to Finish". */
export const waitOptions = (extraShow?: IDisplayOptions['show']): INodeProperties[] => {
	const displayOptions: IDisplayOptions | undefined = extraShow ? { show: extraShow } : undefined;
	return [
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollInterval',
			type: 'number',
			typeOptions: { minValue: 0.05 },
			default: 5,
			description: 'Time before the second status check; later checks wait 1.5 times longer each time, up to 60 seconds',
			displayOptions,
		},
		{
			displayName: 'Max Wait (Seconds)',
			name: 'maxWait',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 600,
			description: 'How long to wait at most before giving up on this run',
			displayOptions,
		},
		{
			displayName: 'If the Import Fails',
			name: 'onFailed',
			type: 'options',
			options: [
				{ name: 'Stop With an Error', value: 'error', description: 'Fail the node with FanPass\'s reason' },
				{ name: 'Output the Status', value: 'output', description: 'Continue with state "failed" in the output' },
			],
			default: 'error',
			description: 'What to do when FanPass reports the import as failed',
			displayOptions,
		},
		{
			displayName: 'If Still Running at Max Wait',
			name: 'onTimeout',
			type: 'options',
			options: [
				{ name: 'Stop With an Error', value: 'error', description: 'Fail the node, saying how far the import got' },
				{
					name: 'Output the Status',
					value: 'output',
					description: 'Continue with the last status (finished: false), e.g. to loop with a Wait node and an IF node',
				},
			],
			default: 'error',
			description: 'What to do when the import has not finished within Max Wait',
			displayOptions,
		},
	];
};

export const segmentFileFields: INodeProperties[] = [
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
		displayOptions: forUpload,
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
		displayOptions: { show: { resource: ['segment'], operation: ['uploadFile'], fileSource: ['binary'] } },
	},
	{
		displayName: 'User ID',
		name: 'csvUserId',
		type: 'string',
		required: true,
		default: '={{ $json.user_id }}',
		placeholder: 'e.g. {{ $json.ticketing_id }}',
		description: 'The user ID of each item: the first column of the file',
		displayOptions: { show: { resource: ['segment'], operation: ['uploadFile'], fileSource: ['items'] } },
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
		displayOptions: { show: { resource: ['segment'], operation: ['uploadFile'], fileSource: ['items'] } },
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
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: forUpload,
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
	{
		displayName: 'Import ID',
		name: 'importId',
		type: 'string',
		required: true,
		default: '={{ $json.importId }}',
		placeholder: 'e.g. 1042',
		description: 'The importId (firebase_imported_segment_id) that Upload File outputs',
		displayOptions: forImport,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { resource: ['segment'], operation: ['waitForImport'] } },
		options: waitOptions(),
	},
];
