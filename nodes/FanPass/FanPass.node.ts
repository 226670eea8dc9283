import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { properties, subtitle } from './actions/properties';
import { router } from './actions/router';

export class FanPass implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'FanPass',
		name: 'fanPass',
		icon: { light: 'file:../../icons/fanpass.svg', dark: 'file:../../icons/fanpass.dark.svg' },
		group: ['output'],
		// 2: outputs of Create or Update and Upload File are simplified by default (docs/VERSIONING.md)
		version: [1, 2],
		defaultVersion: 2,
		subtitle,
		description: 'Push Imported Segments and User Model Attributes into FanReach with the FanPass API',
		defaults: { name: 'FanPass' },
		// An agent only sees the tool description, so the tool variant's starting text (used when
		// "Tool Description" is set manually) spells out what an agent must not get wrong.
		usableAsTool: {
			replacements: {
				description:
					'Manage FanReach audiences with the FanPass API. Segment Create or Update replaces all members of the segment named by its tag (rinse and replace): always send the complete list of user IDs, as IDs left out are removed. User Update sets attributes (names up to 24 characters, values up to 36) on the listed users.',
			},
		},
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'fanPassApi', required: true }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
