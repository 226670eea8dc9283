import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { uploadSegmentFiles } from './actions/segment/uploadFile';
import { upsertSegments } from './actions/segment/upsert';
import { getImportStatuses, waitForImports } from './actions/segment/waitForImport';
import { updateUsers } from './actions/user/update';
import { requestOptionsDescription } from './descriptions/RequestOptionsDescription';
import { segmentDescription } from './descriptions/SegmentDescription';
import { userDescription } from './descriptions/UserDescription';
import { getBaseUrl } from './transport';

type Action = (this: IExecuteFunctions, items: INodeExecutionData[], baseUrl: string) => Promise<INodeExecutionData[]>;

const actions: Record<string, Record<string, Action>> = {
	segment: {
		upsert: upsertSegments,
		uploadFile: uploadSegmentFiles,
		waitForImport: waitForImports,
		getImportStatus: getImportStatuses,
	},
	user: { update: updateUsers },
};

export class FanPass implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'FanPass',
		name: 'fanPass',
		icon: { light: 'file:../../icons/fanpass.svg', dark: 'file:../../icons/fanpass.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle:
			'={{ ({ "segment:upsert": "Upsert a segment", "segment:uploadFile": "Upload a segment file", "segment:waitForImport": "Wait for an import", "segment:getImportStatus": "Get an import\'s status", "user:update": "Update a user" })[$parameter["resource"] + ":" + $parameter["operation"]] }}',
		description: 'Push Imported Segments and User Model Attributes into FanReach with the FanPass API',
		defaults: { name: 'FanPass' },
		// An agent only sees the tool description, so the tool variant's starting text (used when
		// "Tool Description" is set manually) spells out what an agent must not get wrong.
		usableAsTool: {
			replacements: {
				description:
					'Manage FanReach audiences with the FanPass API. Segment Upsert replaces all members of the segment named by its tag (rinse and replace): always send the complete list of user IDs, as IDs left out are removed. User Update sets attributes (names up to 24 characters, values up to 36) on the listed users.',
			},
		},
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'fanPassApi', required: true }],
		properties: [
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
			...segmentDescription,
			...userDescription,
			...requestOptionsDescription,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const resource = this.getNodeParameter('resource', 0) as string;
		const operation = this.getNodeParameter('operation', 0) as string;
		const action = actions[resource]?.[operation];
		if (!action) {
			throw new NodeOperationError(this.getNode(), `The action "${operation}" on "${resource}" is not supported`);
		}
		const baseUrl = await getBaseUrl(this);
		return [await action.call(this, items, baseUrl)];
	}
}
