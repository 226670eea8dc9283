import type { StructuredToolInterface } from '@langchain/core/tools';
import { convertToOpenAITool } from '@langchain/core/utils/function_calling';
import { WorkflowExecute } from 'n8n-core';
import {
	NodeConnectionTypes,
	Workflow,
	createRunExecutionData,
	type IConnections,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type IWorkflowBase,
} from 'n8n-workflow';

import { FanPassApi } from '../../../credentials/FanPassApi.credentials';
import { FanPass } from '../../../nodes/FanPass/FanPass.node';
import { createAdditionalData } from '../../harness/additional-data';
import { CredentialTypeRegistry } from '../../harness/credential-types';
import { HarnessCredentialsHelper } from '../../harness/credentials-helper';
import { ensureEnvironment } from '../../harness/environment';
import { HarnessNodeTypes } from '../../harness/node-types';
import { asAiToolNodeType } from './toolNodeType';

export const FANPASS_TOOL_TYPE = 'n8n-nodes-fanpass.fanPassTool';
const AGENT_TYPE = 'test.scriptedAgent';
const TRIGGER_TYPE = 'test.trigger';

/** A tool as OpenAI's chat-completions API receives it (what n8n's OpenAI chat model sends). */
export interface OpenAiTool {
	type: 'function';
	function: { name: string; description: string; parameters: { properties: Record<string, { type?: string; description?: string }>; required?: string[] } };
}

export interface ToolCall {
	tool: string;
	args: IDataObject;
}

export interface ToolCallResult {
	tool: string;
	/** What the agent hands back to the model: the tool's JSON output, or the error text. */
	content: string;
	error?: boolean;
}

export interface AgentRun {
	tools: OpenAiTool[];
	results: ToolCallResult[];
	executionError?: string;
}

/**
 * Stands in for n8n's AI Agent: gets the connected tools exactly as the agent does
 * (getInputConnectionData → n8n-core's createNodeAsTool), reports them the way a chat model
 * receives them, and makes the scripted tool calls a model would, in order. Like the agent, it
 * hands a tool's error back as text instead of failing.
 */
function scriptedAgent(calls: ToolCall[]): INodeType {
	return {
		description: {
			displayName: 'Scripted Agent',
			name: AGENT_TYPE,
			group: ['transform'],
			version: 1,
			description: 'Calls the connected tools with scripted arguments',
			defaults: { name: 'AI Agent' },
			inputs: [NodeConnectionTypes.Main, { type: NodeConnectionTypes.AiTool, displayName: 'Tools', required: true }],
			outputs: [NodeConnectionTypes.Main],
			properties: [],
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const tools = (await this.getInputConnectionData(NodeConnectionTypes.AiTool, 0)) as StructuredToolInterface[];
			const results: ToolCallResult[] = [];
			for (const call of calls) {
				const tool = tools.find((candidate) => candidate.name === call.tool);
				if (!tool) throw new Error(`No tool named ${call.tool}: ${tools.map((t) => t.name).join(', ')}`);
				try {
					results.push({ tool: call.tool, content: String(await tool.invoke(call.args)) });
				} catch (error) {
					results.push({ tool: call.tool, content: (error as Error).message, error: true });
				}
			}
			const described = tools.map((tool) => convertToOpenAITool(tool) as unknown as OpenAiTool);
			return [[{ json: { tools: described, results } as unknown as IDataObject }]];
		},
	};
}

const trigger: INodeType = {
	description: {
		displayName: 'Trigger',
		name: TRIGGER_TYPE,
		group: ['trigger'],
		version: 1,
		description: '',
		defaults: { name: 'When chat message received' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	},
	async execute(this: IExecuteFunctions) {
		return [[{ json: { chatInput: 'scripted' } }]];
	},
};

export interface ToolNode {
	name: string;
	parameters: INodeParameters;
}

/** A workflow: trigger → agent, with FanPass Tool nodes on the agent's tool input, run in n8n-core. */
export async function runAgentWithTools(options: {
	toolNodes: ToolNode[];
	calls: ToolCall[];
	credentials: IDataObject;
}): Promise<AgentRun> {
	ensureEnvironment();
	const nodes: INode[] = [
		{ id: 'trigger', name: 'When chat message received', type: TRIGGER_TYPE, typeVersion: 1, position: [0, 0], parameters: {} },
		{ id: 'agent', name: 'AI Agent', type: AGENT_TYPE, typeVersion: 1, position: [200, 0], parameters: {} },
		...options.toolNodes.map((tool, index) => ({
			id: `tool-${index}`,
			name: tool.name,
			type: FANPASS_TOOL_TYPE,
			typeVersion: 1,
			position: [200 + 150 * index, 200] as [number, number],
			parameters: structuredClone(tool.parameters),
			credentials: { fanPassApi: { id: 'fanpass', name: 'FanPass account' } },
		})),
	];
	const connections: IConnections = {
		'When chat message received': { main: [[{ node: 'AI Agent', type: NodeConnectionTypes.Main, index: 0 }]] },
	};
	for (const tool of options.toolNodes) {
		connections[tool.name] = { ai_tool: [[{ node: 'AI Agent', type: NodeConnectionTypes.AiTool, index: 0 }]] };
	}
	const nodeTypes = new HarnessNodeTypes()
		.register(TRIGGER_TYPE, trigger)
		.register(AGENT_TYPE, scriptedAgent(options.calls))
		.register(FANPASS_TOOL_TYPE, asAiToolNodeType(new FanPass()));
	const settings = { executionOrder: 'v1' as const };
	const now = new Date();
	const workflowData: IWorkflowBase = {
		id: 'agent-workflow',
		name: 'Agent workflow',
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: now,
		updatedAt: now,
		nodes,
		connections,
		settings,
	};
	const workflow = new Workflow({ id: workflowData.id, name: workflowData.name, nodes: structuredClone(nodes), connections, active: false, nodeTypes, settings });
	const additionalData = createAdditionalData({
		credentialsHelper: new HarnessCredentialsHelper(new CredentialTypeRegistry([new FanPassApi()]), { fanPassApi: options.credentials }),
		executionId: 'agent-1',
		mode: 'manual',
		workflowData,
	});
	const start = workflow.getNode('When chat message received') as INode;
	const runExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node: start, data: { main: [[{ json: {} }]] }, source: null }] },
	});
	const run = await new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(workflow);
	const agentRun = run.data.resultData.runData['AI Agent']?.at(-1);
	const output = agentRun?.data?.main?.[0]?.[0]?.json as unknown as AgentRun | undefined;
	return {
		tools: output?.tools ?? [],
		results: output?.results ?? [],
		executionError: (agentRun?.error ?? run.data.resultData.error)?.message,
	};
}
