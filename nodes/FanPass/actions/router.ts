import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { getBaseUrl } from '../transport';
import * as segment from './segment/Segment.resource';
import * as user from './user/User.resource';

type Execute = (this: IExecuteFunctions, items: INodeExecutionData[], baseUrl: string) => Promise<INodeExecutionData[]>;

/** Every action, by resource and operation value: adding one is one operation file and one line here. */
export const OPERATIONS: Record<string, Record<string, Execute>> = {
	segment: {
		upsert: segment.upsert.execute,
		uploadFile: segment.uploadFile.execute,
		waitForImport: segment.waitForImport.execute,
		getImportStatus: segment.getImportStatus.execute,
	},
	user: {
		update: user.update.execute,
	},
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = OPERATIONS[resource]?.[operation];
	if (!execute) {
		throw new NodeOperationError(this.getNode(), `The action "${operation}" on "${resource}" is not supported`);
	}
	const baseUrl = await getBaseUrl(this);
	return [await execute.call(this, items, baseUrl)];
}
