/**
 * The AI Agent example in queue mode: the agent runs on a worker, its OpenAI Chat Model pointed at the stub
 * model of `test:ai-agent` (test/ai-agent/stub-model.ts) that scripts the tool calls, and the FanPass tools
 * write to the sandbox from the worker.
 */
import { nodeItems, runManually } from '../../../scripts/n8n-runtime/n8nExecutions';
import { checkOfferedTools, checkSandboxWrites } from '../../ai-agent/agentChecks';
import { runnableExample } from '../../ai-agent/runnableExample';
import { startStubModel, type ScriptStep } from '../../ai-agent/stub-model';
import { executionIds, newExecutions, ranOnWorker, type QueueContext } from '../context';

const FINAL_ANSWER = 'Done in queue mode: vipFans2026 has 3 members, 1001 and 1002 are gold.';
const SCRIPT: ScriptStep[] = [
	{ tool: 'Replace_segment_members', args: { Segment_Title: 'VIP Fans', Segment_Tag: 'vipFans2026', User_IDs: '1001, 1002, 1003' } },
	{ tool: 'Update_user_attributes', args: { User_IDs: '1001, 1002', Properties: { loyalty_tier: 'gold' } } },
	{ answer: FINAL_ANSWER },
];

export async function aiAgentOnWorker(ctx: QueueContext): Promise<void> {
	const model = await startStubModel(SCRIPT);
	try {
		const { workflow, agentNodeName } = runnableExample();
		const cli = ctx.stack.instance.cli;
		const credential = await cli.importCredentials([{ id: 'openai-account', name: 'OpenAI account', type: 'openAiApi', data: { apiKey: 'sk-stub-not-a-real-key', url: model.baseUrl } }]);
		const imported = await cli.importWorkflows([workflow]);
		ctx.checks.check('import the stub model credential and the runnable AI Agent example into the shared database', credential.code === 0 && imported.code === 0, credential.stderr || imported.stderr);
		await ctx.sandbox.reset();
		const trigger = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger')?.name ?? '';
		const before = await executionIds(ctx, workflow.id);
		await runManually(ctx.stack.main, workflow.id, trigger);
		const [execution] = await newExecutions(ctx, workflow.id, before, 1, 120_000);
		ranOnWorker(ctx, 'AI Agent with the FanPass tools', execution);
		const answer = execution ? nodeItems(execution, agentNodeName)[0]?.json.output : undefined;
		ctx.checks.check("the agent's answer is the model's final message", answer === FINAL_ANSWER, answer);
		checkOfferedTools(ctx.checks, model.requests, SCRIPT);
		checkSandboxWrites(ctx.checks, await ctx.sandbox.state());
	} finally {
		await model.close();
	}
}
