/**
 * FanPass as an AI Agent tool. n8n wraps `usableAsTool` nodes as `<name>Tool` node types; the
 * agent gets each connected tool node through n8n-core's createNodeAsTool, whose schema comes
 * from the `$fromAI()` calls in the node's parameters. These tests build that tool the same way,
 * check what a chat model is shown, and make model-like calls that reach the sandbox.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { FanPass } from '../../nodes/FanPass/FanPass.node';
import { N8N_LATEST } from '../../scripts/n8n-runtime/n8nVersions';
import type { SandboxHandle } from '../../sandbox/server';
import { FANPASS_TOOL_TYPE, runAgentWithTools, type OpenAiTool, type ToolCall, type ToolNode } from './agent/runAgent';
import { asAiToolNodeType } from './agent/toolNodeType';
import { GOOD_TOKEN, requestsTo, startTestSandbox } from './fixtures';

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLE = path.join(ROOT, 'examples', 'ai-agent-fanpass-tool.json');
const N8N_AI_TOOLS = path.join(ROOT, '.cache', 'n8n', N8N_LATEST, 'app', 'node_modules', 'n8n', 'dist', 'tool-generation', 'ai-tools.js');

/** What the editor writes when you click "Let the model define this parameter" (description left empty). */
const editorFromAI = (key: string, type = 'string') => `={{ /*n8n-auto-generated-fromAI-override*/ $fromAI('${key}', \`\`, '${type}') }}`;

function exampleToolNodes(): ToolNode[] {
	const workflow = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')) as { nodes: Array<{ name: string; type: string; typeVersion: number; parameters: INodeParameters }> };
	return workflow.nodes
		.filter((node) => node.type === FANPASS_TOOL_TYPE)
		.map((node) => {
			expect(node.typeVersion).toBe(1);
			return { name: node.name, parameters: node.parameters };
		});
}

const toolNamed = (tools: OpenAiTool[], name: string) => {
	const tool = tools.find((candidate) => candidate.function.name === name);
	if (!tool) throw new Error(`no tool ${name} in ${tools.map((t) => t.function.name).join(', ')}`);
	return tool.function;
};

describe('FanPass as an AI Agent tool', () => {
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startTestSandbox();
	});
	afterAll(async () => await sandbox.close());
	beforeEach(() => sandbox.reset());

	const run = async (toolNodes: ToolNode[], calls: ToolCall[]) => {
		const result = await runAgentWithTools({ toolNodes, calls, credentials: { apiToken: GOOD_TOKEN, baseUrl: sandbox.url } });
		expect(result.executionError).toBeUndefined();
		return result;
	};

	it('is offered to agents (usableAsTool) and its tool variant keeps the FanPass credential', () => {
		const tool = asAiToolNodeType(new FanPass()).description;
		expect(new FanPass().description.usableAsTool).toBeTruthy();
		expect(tool).toMatchObject({ name: 'fanPassTool', displayName: 'FanPass Tool', inputs: [], outputs: ['ai_tool'] });
		expect(tool.credentials).toEqual([{ name: 'fanPassApi', required: true }]);
		// Switching the tool description to "Set Manually" starts from this text: it must warn about rinse and replace.
		const manualDefault = tool.properties.find((property) => property.name === 'toolDescription')?.default as string;
		expect(manualDefault).toMatch(/replaces all members/i);
		expect(manualDefault).toMatch(/complete list/i);
	});

	(fs.existsSync(N8N_AI_TOOLS) ? it : it.skip)("matches the tool n8n's loader registers (needs the n8n install in .cache)", () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const n8n = require(N8N_AI_TOOLS) as { createAiTools(types: { nodes: IDataObject[] }, known: { nodes: IDataObject; credentials: IDataObject }): void };
		const types = { nodes: [structuredClone(new FanPass().description) as unknown as IDataObject] };
		n8n.createAiTools(types, { nodes: { fanPass: {} }, credentials: {} });
		const { codex: _codex, ...theirs } = types.nodes[1];
		expect(JSON.parse(JSON.stringify(asAiToolNodeType(new FanPass()).description))).toEqual(JSON.parse(JSON.stringify(theirs)));
	});

	it('with the editor defaults, derives tools named after the nodes, with the action as description and string inputs', async () => {
		const { tools } = await run(
			[
				{ name: 'Upsert segment', parameters: { title: editorFromAI('Segment_Title'), tag: editorFromAI('Segment_Tag'), userIdSource: 'list', userIdList: editorFromAI('User_IDs') } },
				{ name: 'Update user', parameters: { resource: 'user', userId: editorFromAI('User_ID'), propertiesInput: 'json', propertiesJson: editorFromAI('Properties__JSON_', 'json') } },
			],
			[],
		);
		const upsert = toolNamed(tools, 'Upsert_segment');
		expect(upsert.description).toBe('Create or update a segment in FanPass');
		expect(upsert.parameters.properties).toEqual({ Segment_Title: { type: 'string' }, Segment_Tag: { type: 'string' }, User_IDs: { type: 'string' } });
		expect(upsert.parameters.required?.sort()).toEqual(['Segment_Tag', 'Segment_Title', 'User_IDs']);
		const update = toolNamed(tools, 'Update_user');
		expect(update.description).toBe('Update a user in FanPass');
		expect(Object.keys(update.parameters.properties).sort()).toEqual(['Properties__JSON_', 'User_ID']);
		expect(update.parameters.properties.User_ID).toEqual({ type: 'string' });
	});

	it('the example workflow gives the model descriptions it can act on', async () => {
		const { tools } = await run(exampleToolNodes(), []);
		const upsert = toolNamed(tools, 'Replace_segment_members');
		expect(upsert.description).toMatch(/REPLACE ALL members/);
		expect(upsert.description).toMatch(/complete member list/);
		expect(Object.keys(upsert.parameters.properties).sort()).toEqual(['Segment_Tag', 'Segment_Title', 'User_IDs']);
		expect(upsert.parameters.properties.Segment_Tag.description).toMatch(/letters and digits only, no spaces/);
		expect(upsert.parameters.properties.User_IDs.description).toMatch(/COMPLETE list .* separated by commas/);

		const update = toolNamed(tools, 'Update_user_attributes');
		expect(update.description).toMatch(/Set attributes .* on one or more FanReach users/);
		expect(Object.keys(update.parameters.properties).sort()).toEqual(['Properties', 'User_IDs']);
		expect(update.parameters.properties.Properties.description).toMatch(/at most 24 characters.*at most 36 characters/);
		expect(update.parameters.required?.sort()).toEqual(['Properties', 'User_IDs']);
	});

	it('model-like calls reach FanPass as the right requests, and the agent gets the result back', async () => {
		const { results } = await run(exampleToolNodes(), [
			{ tool: 'Replace_segment_members', args: { Segment_Title: 'VIP Fans', Segment_Tag: 'vipFans2026', User_IDs: '1001, 1002,1003' } },
			{ tool: 'Update_user_attributes', args: { User_IDs: '1001, 1002', Properties: { loyalty_tier: 'gold', loyalty_points: 1200 } } },
		]);
		expect(requestsTo(sandbox, '/api/v1/segments').map((request) => request.body)).toEqual([
			{ title: 'VIP Fans', tag: 'vipFans2026', sourceType: 0, userIds: ['1001', '1002', '1003'], notes: 'Set by the AI agent' },
		]);
		expect(requestsTo(sandbox, '/api/v1/update_user').map((request) => request.body)).toEqual([
			{ userIds: ['1001', '1002'], userProperties: { loyalty_tier: 'gold', loyalty_points: 1200 } },
		]);
		expect(results.map((result) => result.error)).toEqual([undefined, undefined]);
		expect(JSON.parse(results[0].content)).toEqual([expect.objectContaining({ tag: 'vipFans2026', userCount: 3, messages: ['Segment VIP Fans queued 3 for import'] })]);
		expect(JSON.parse(results[1].content)).toEqual([expect.objectContaining({ userIds: ['1001', '1002'], messages: ['Successfully updated user properties for 2 users'] })]);
	});

	it('a bad tag or property name comes back to the model as an error it can correct, and nothing wrong is sent', async () => {
		const { results } = await run(exampleToolNodes(), [
			{ tool: 'Replace_segment_members', args: { Segment_Title: 'VIP Fans', Segment_Tag: 'vip fans', User_IDs: '1001' } },
			{ tool: 'Replace_segment_members', args: { Segment_Title: 'VIP Fans', Segment_Tag: 'vipFans', User_IDs: '1001' } },
			{ tool: 'Update_user_attributes', args: { User_IDs: '1001', Properties: { favorite_team: 'Hawks', this_name_is_far_too_long_for_ga4: 'x' } } },
		]);
		expect(results[0].error).toBe(true);
		expect(results[0].content).toContain('the segment tag "vip fans" contains a space');
		expect(results[1].error).toBeUndefined();
		expect(requestsTo(sandbox, '/api/v1/segments').map((request) => request.body.tag)).toEqual(['vipFans']);
		// The example skips names FanPass would ignore and tells the model which ones.
		expect(requestsTo(sandbox, '/api/v1/update_user').map((request) => request.body.userProperties)).toEqual([{ favorite_team: 'Hawks' }]);
		expect(results[2].content).toContain('this_name_is_far_too_long_for_ga4');
	});

	it('a model that leaves out a required argument is refused before the node runs', async () => {
		const { results } = await run(exampleToolNodes(), [{ tool: 'Replace_segment_members', args: { Segment_Title: 'VIP Fans', User_IDs: '1001' } }]);
		expect(results[0].error).toBe(true);
		expect(results[0].content).toMatch(/Segment_Tag/);
		expect(sandbox.state.requests).toHaveLength(0);
	});
});
