import type { IDataObject } from 'n8n-workflow';

import { FanPassApi } from '../../credentials/FanPassApi.credentials';
import { FanPass } from '../../nodes/FanPass/FanPass.node';
import { startSandbox, type SandboxHandle } from '../../sandbox/server';
import { runNode, type InputItem, type RunNodeOptions } from '../harness';

export const GOOD_TOKEN = 'test-token-5f1c9d0e-secret';
export const BAD_TOKEN = 'not-a-valid-token-7777';

export async function startTestSandbox(): Promise<SandboxHandle> {
	return await startSandbox({
		tokens: [GOOD_TOKEN],
		platformProperties: ['sth', 'ticketing_plans', 'favorite_team'],
		customAttributes: ['loyalty_tier', 'loyalty_points', 'vip_level'],
	});
}

export interface FanPassRun {
	parameters: IDataObject;
	items: InputItem[];
	continueOnFail?: boolean;
	token?: string;
	baseUrl?: string;
	binaryMode?: RunNodeOptions['binaryMode'];
	abortSignal?: AbortSignal;
	typeVersion?: number;
	staticData?: IDataObject;
	mode?: RunNodeOptions['mode'];
	processedData?: RunNodeOptions['processedData'];
}

export async function runFanPass(sandbox: SandboxHandle, run: FanPassRun) {
	return await runNode({
		node: new FanPass(),
		credentialTypes: [new FanPassApi()],
		credentials: { fanPassApi: { apiToken: run.token ?? GOOD_TOKEN, baseUrl: run.baseUrl ?? sandbox.url } },
		parameters: run.parameters,
		items: run.items,
		continueOnFail: run.continueOnFail,
		binaryMode: run.binaryMode,
		abortSignal: run.abortSignal,
		typeVersion: run.typeVersion,
		staticData: run.staticData,
		mode: run.mode,
		processedData: run.processedData,
	});
}

/** The requests the sandbox received on one API path, in order. */
export function requestsTo(sandbox: SandboxHandle, path: string) {
	return sandbox.state.requests.filter((request) => request.path === path);
}

export const items = (...jsons: IDataObject[]): InputItem[] => jsons.map((json) => ({ json }));

/** Segment → Upsert with IDs from `user_id` and the tag from `tag` (default "fans"). */
export const upsertParameters = (overrides: IDataObject = {}): IDataObject => ({
	resource: 'segment',
	operation: 'upsert',
	title: 'Fans',
	tag: '={{ $json.tag ?? "fans" }}',
	sourceType: 0,
	userIdSource: 'items',
	userId: '={{ $json.user_id }}',
	// the full output, which these tests assert on; test/node/simplify.test.ts covers the short one
	simplify: false,
	options: {},
	...overrides,
});

/** User → Update with the user from `user_id` and the properties from `props`. */
export const updateParameters = (overrides: IDataObject = {}): IDataObject => ({
	resource: 'user',
	operation: 'update',
	userId: '={{ $json.user_id }}',
	propertiesInput: 'json',
	propertiesJson: '={{ JSON.stringify($json.props) }}',
	options: {},
	...overrides,
});
