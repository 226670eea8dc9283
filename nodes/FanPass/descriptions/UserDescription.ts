import type { INodeProperties } from 'n8n-workflow';

const showForUpdate = { show: { resource: ['user'], operation: ['update'] } };

export const userOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		description: 'What to do with users\' User Model Attributes',
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{
				name: 'Update',
				value: 'update',
				action: 'Update a user',
				description:
					'Set User Model Attributes (platform user properties or registered custom attributes) on one or more users',
			},
		],
		default: 'update',
	},
];

export const userUpdateFields: INodeProperties[] = [
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		required: true,
		default: '={{ $json.user_id }}',
		placeholder: 'e.g. {{ $json.ticketing_id }}',
		hint: 'Evaluated for every input item. An array, or a comma separated list, updates several users.',
		description: 'The FanReach user ID(s) to update',
		displayOptions: showForUpdate,
	},
	{
		displayName: 'Properties From',
		name: 'propertiesInput',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Fields Below', value: 'fields', description: 'Name/value pairs entered one by one' },
			{ name: 'JSON', value: 'json', description: 'An object of name/value pairs, e.g. {{ $json.attributes }}' },
		],
		default: 'fields',
		description: 'How to give the property names and values',
		displayOptions: showForUpdate,
	},
	{
		displayName: 'Properties',
		name: 'properties',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Property',
		default: {},
		description:
			'Platform user property names (e.g. sth) or custom attributes registered in the FanReach Portal. Names up to 24 characters, values up to 36.',
		displayOptions: { show: { resource: ['user'], operation: ['update'], propertiesInput: ['fields'] } },
		options: [
			{
				displayName: 'Property',
				name: 'property',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'e.g. loyalty_tier',
						description: 'Property name, at most 24 characters',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'e.g. gold',
						description: 'Property value; FanPass keeps at most 36 characters',
					},
				],
			},
		],
	},
	{
		displayName: 'Properties (JSON)',
		name: 'propertiesJson',
		type: 'json',
		required: true,
		default: '{\n  "loyalty_tier": "gold"\n}',
		hint: 'For example {{ $json.attributes }}, or a literal object',
		description:
			'An object of property names and values. Values must be text, numbers or true/false; nested objects and lists are refused.',
		displayOptions: { show: { resource: ['user'], operation: ['update'], propertiesInput: ['json'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showForUpdate,
		options: [
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 10000 },
				default: 1000,
				description:
					'Items with identical properties are sent together; this caps how many user IDs go in one request',
			},
			{
				displayName: 'Concurrent Requests',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 20 },
				default: 4,
				description: 'How many update requests may be in flight at once when there are many distinct property sets',
			},
			{
				displayName: 'Invalid Property Names',
				name: 'invalidKeys',
				type: 'options',
				options: [
					{
						name: 'Stop With an Error',
						value: 'error',
						description: 'Names FanPass would ignore (over 24 characters, or reserved like user_id) fail the item',
					},
					{
						name: 'Skip With a Warning',
						value: 'skip',
						description: 'Leave those names out, send the rest and list what was skipped in the output',
					},
				],
				default: 'error',
				description: 'What to do with property names FanPass would silently ignore',
			},
			{
				displayName: 'Values Over 36 Characters',
				name: 'longValues',
				type: 'options',
				options: [
					{
						name: 'Send and Warn',
						value: 'truncate',
						description: 'FanPass keeps the first 36 characters; the output lists each truncated value',
					},
					{ name: 'Stop With an Error', value: 'error', description: 'Fail the item instead' },
				],
				default: 'truncate',
				description: 'What to do with values FanPass would cut to 36 characters',
			},
		],
	},
];

export const userDescription: INodeProperties[] = [...userOperations, ...userUpdateFields];
