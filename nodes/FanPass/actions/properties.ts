import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { requestOptionsDescription } from './common/requestOptions.description';
import * as segment from './segment/Segment.resource';
import * as user from './user/User.resource';

/** Every parameter of the node: resources, their operations and each operation's fields. */
export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		description: 'The kind of FanReach data to write',
		options: [
			{ name: 'Segment', value: 'segment', description: 'Imported Segments: lists of user IDs for targeting' },
			{ name: 'User', value: 'user', description: 'User Model Attributes on a user\'s record' },
		],
		default: 'segment',
	},
	...segment.description,
	...user.description,
	...requestOptionsDescription,
];

/** "resource:operation" → the action's sentence, read from the operation lists above. */
export function actionSentences(properties: INodeProperties[]): Record<string, string> {
	const sentences: Record<string, string> = {};
	for (const property of properties) {
		if (property.name !== 'operation') continue;
		for (const resource of (property.displayOptions?.show?.resource as string[] | undefined) ?? []) {
			for (const option of (property.options ?? []) as INodePropertyOptions[]) {
				sentences[`${resource}:${String(option.value)}`] = option.action ?? option.name;
			}
		}
	}
	return sentences;
}

/** The node's subtitle: the chosen action's sentence. */
export const subtitle = `={{ (${JSON.stringify(actionSentences(properties))})[$parameter["resource"] + ":" + $parameter["operation"]] }}`;
