import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { FanPassApi } from '../../credentials/FanPassApi.credentials';
import { requestOptionsDescription } from '../../nodes/FanPass/actions/common/requestOptions.description';
import { fanPassRequest, getBaseUrl, requireImportId, type FanPassEndpoint } from '../../nodes/FanPass/transport';
import { encodeMultipart } from '../../nodes/FanPass/transport/multipart';
import type { SandboxHandle } from '../../sandbox/server';
import { runNode, type InputItem } from '../harness';
import { GOOD_TOKEN } from './fixtures';

/**
 * A test-only node that sends each item's `body` to `endpoint` through fanPassRequest and outputs
 * the envelope, so the transport is driven inside real n8n-core (helpers, credentials, cancel
 * signal) without depending on how an action words its output. `requireImportId: true` also
 * reads the import id the way an upload must.
 */
export class TransportProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'FanPass Transport Probe',
		name: 'fanPassTransportProbe',
		group: ['transform'],
		version: 1,
		description: 'Test only',
		defaults: { name: 'Transport Probe' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'fanPassApi', required: true }],
		properties: [
			{ displayName: 'Endpoint', name: 'endpoint', type: 'string', default: '/api/v1/update_user' },
			{ displayName: 'Multipart', name: 'multipart', type: 'boolean', default: false },
			{ displayName: 'Require Import ID', name: 'requireImportId', type: 'boolean', default: false },
			...requestOptionsDescription,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const baseUrl = await getBaseUrl(this);
		const output: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
			const endpoint = this.getNodeParameter('endpoint', itemIndex) as FanPassEndpoint;
			const json = this.getInputData()[itemIndex].json.body as IDataObject;
			const body = this.getNodeParameter('multipart', itemIndex)
				? encodeMultipart(json as Record<string, string>, { fieldName: 'file', fileName: 'fans.csv', contentType: 'text/csv', data: Buffer.from('user_id\n1\n2\n') })
				: json;
			const envelope = await fanPassRequest(this, { baseUrl, endpoint, body, itemIndex });
			const importId = this.getNodeParameter('requireImportId', itemIndex) ? requireImportId(this, envelope, itemIndex) : undefined;
			output.push({ json: { ...envelope, ...(importId !== undefined ? { importId } : {}) }, pairedItem: { item: itemIndex } });
		}
		return [output];
	}
}

export interface ProbeRun {
	endpoint?: FanPassEndpoint;
	bodies: IDataObject[];
	requestOptions?: IDataObject;
	multipart?: boolean;
	requireImportId?: boolean;
	baseUrl?: string;
	token?: string;
	abortSignal?: AbortSignal;
}

export async function runProbe(sandbox: SandboxHandle, run: ProbeRun) {
	const items: InputItem[] = run.bodies.map((body) => ({ json: { body } }));
	return await runNode({
		node: new TransportProbe(),
		credentialTypes: [new FanPassApi()],
		credentials: { fanPassApi: { apiToken: run.token ?? GOOD_TOKEN, baseUrl: run.baseUrl ?? sandbox.url } },
		parameters: {
			endpoint: run.endpoint ?? '/api/v1/update_user',
			multipart: run.multipart ?? false,
			requireImportId: run.requireImportId ?? false,
			requestOptions: run.requestOptions ?? { retryDelay: 0.05 },
		},
		items,
		abortSignal: run.abortSignal,
	});
}
