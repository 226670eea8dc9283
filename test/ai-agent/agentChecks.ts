/** What the AI Agent run must have done: the tools n8n offered the stub model, and what reached the sandbox. */
import type { Checks } from '../../scripts/n8n-runtime/checks';
import type { SandboxState } from '../../scripts/n8n-runtime/sandboxProcess';
import type { ChatRequest, ScriptStep } from './stub-model';

/** The tools n8n derived from the FanPass Tool nodes, their names and $fromAI() parameters and descriptions. */
export function checkOfferedTools(checks: Checks, requests: ChatRequest[], script: ScriptStep[]): void {
	const offered = requests[0]?.tools ?? [];
	checks.check(
		'n8n offered the model both FanPass tools',
		JSON.stringify(offered.map((tool) => tool.function.name).sort()) === JSON.stringify(['Replace_segment_members', 'Update_user_attributes']),
		offered.map((tool) => tool.function.name),
	);
	for (const tool of offered) {
		const parameters = (tool.function.parameters?.properties ?? {}) as Record<string, { type?: string }>;
		const shown = Object.entries(parameters).map(([name, schema]) => `${name}: ${schema.type ?? 'any'}`);
		console.log(`       tool ${tool.function.name}(${shown.join(', ')})`);
	}
	const upsert = offered.find((tool) => tool.function.name === 'Replace_segment_members')?.function;
	const properties = (upsert?.parameters?.properties ?? {}) as Record<string, { description?: string }>;
	checks.check('Replace_segment_members: description warns about rinse and replace', /REPLACE ALL members/.test(upsert?.description ?? ''), upsert?.description);
	checks.check(
		'Replace_segment_members: $fromAI parameters with their descriptions',
		JSON.stringify(Object.keys(properties).sort()) === JSON.stringify(['Segment_Tag', 'Segment_Title', 'User_IDs']) &&
			/letters and digits only/.test(properties.Segment_Tag?.description ?? ''),
		upsert?.parameters,
	);
	checks.check('the model saw each tool result before its next step', requests.length === script.length, requests.length);
}

/** The two tool calls' writes, and nothing more. */
export function checkSandboxWrites(checks: Checks, state: SandboxState): void {
	const segment = state.segments.vipFans2026;
	checks.check('sandbox: segment vipFans2026 holds exactly 1001, 1002, 1003', JSON.stringify(segment?.userIds) === '["1001","1002","1003"]', segment);
	checks.check('sandbox: segment title and notes from the tool node', segment?.title === 'VIP Fans' && segment?.notes === 'Set by the AI agent', segment);
	const gold = ['1001', '1002'].map((id) => state.users[id]?.custom.loyalty_tier);
	checks.check('sandbox: 1001 and 1002 have loyalty_tier gold', JSON.stringify(gold) === '["gold","gold"]', gold);
	checks.check('sandbox: nothing else was written', state.requests.length === 2 && !('1003' in state.users), state.requests.map((r) => r.path));
}
