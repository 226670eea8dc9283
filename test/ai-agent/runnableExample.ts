/**
 * examples/ai-agent-fanpass-tool.json made runnable by `n8n execute`, which cannot send a chat message:
 * its Chat Trigger becomes a Manual Trigger and the agent gets a fixed prompt.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WorkflowJson } from '../../scripts/n8n-runtime/n8nCli';
import { ROOT } from '../../scripts/n8n-runtime/processes';

export const RUNNABLE_WORKFLOW_ID = 'fanpassAiAgentToolE2e';
export const PROMPT = 'Put fans 1001, 1002 and 1003 in the VIP Fans segment, and make 1001 and 1002 gold.';

export function runnableExample(): { workflow: WorkflowJson; agentNodeName: string } {
	const example = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', 'ai-agent-fanpass-tool.json'), 'utf8')) as WorkflowJson;
	const nodeOfType = (type: string) => {
		const node = example.nodes.find((candidate) => candidate.type === type);
		if (!node) throw new Error(`examples/ai-agent-fanpass-tool.json has no ${type} node`);
		return node;
	};
	const chatTrigger = nodeOfType('@n8n/n8n-nodes-langchain.chatTrigger');
	Object.assign(chatTrigger, { type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} });
	delete chatTrigger.webhookId;
	const agent = nodeOfType('@n8n/n8n-nodes-langchain.agent');
	agent.parameters = { ...agent.parameters, promptType: 'define', text: PROMPT };
	return { workflow: { ...example, id: RUNNABLE_WORKFLOW_ID }, agentNodeName: agent.name };
}
