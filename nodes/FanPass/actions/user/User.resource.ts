import type { INodeProperties } from 'n8n-workflow';

import * as update from './update.operation';

export { update };

export const description: INodeProperties[] = [
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
	...update.description,
];
