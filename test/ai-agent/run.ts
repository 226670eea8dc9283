/**
 * The AI Agent example (examples/ai-agent-fanpass-tool.json) end to end in a REAL n8n, offline:
 *
 *   npx tsx test/ai-agent/run.ts        (npm run test:ai-agent)
 *
 * n8n's AI Agent runs with its OpenAI Chat Model pointed at a local stub (./stub-model.ts) that
 * plays a script of tool calls, so everything except the model is real: n8n loads this package
 * from a packed tarball as a community package, registers FanPass as the FanPass Tool, derives
 * the tool schemas from the $fromAI() parameters, and the agent calls the tools, which send real
 * requests to the FanPass sandbox. Packing, installing, n8n and the sandbox come from the e2e
 * library (scripts/n8n-runtime/). The example's Chat Trigger is swapped for a Manual Trigger and a fixed
 * prompt (./runnableExample.ts), because `n8n execute` cannot send a chat message.
 *
 * Environment (all optional): N8N_E2E_VERSION (default: the latest in scripts/n8n-runtime/n8n-versions.json), N8N_E2E_SKIP_BUILD=1,
 * N8N_E2E_KEEP=1 (keep the scratch N8N_USER_FOLDER), N8N_E2E_VERBOSE=1 (print n8n's output).
 * Exit code 0 when every check passed, 1 otherwise.
 */
import * as fs from 'node:fs';
import { Checks } from '../../scripts/n8n-runtime/checks';
import { N8nCli } from '../../scripts/n8n-runtime/n8nCli';
import { ensureN8n } from '../../scripts/n8n-runtime/n8nInstall';
import { versionFromEnv } from '../../scripts/n8n-runtime/n8nVersions';
import { buildAndPack, installTarball, scratchUserFolder } from '../../scripts/n8n-runtime/packageTarball';
import { EXAMPLE_CREDENTIAL } from '../../scripts/n8n-runtime/prepareInstance';
import { installExitHandlers, secs, stopAll } from '../../scripts/n8n-runtime/processes';
import { SANDBOX_TOKEN, startSandboxProcess } from '../../scripts/n8n-runtime/sandboxProcess';
import { summariseState } from '../../scripts/n8n-runtime/summary';
import { checkOfferedTools, checkSandboxWrites } from './agentChecks';
import { runnableExample } from './runnableExample';
import { startStubModel, type ScriptStep } from './stub-model';

const N8N_VERSION = versionFromEnv('N8N_E2E_VERSION');
const FINAL_ANSWER = 'Done: vipFans2026 now has 3 members, and 1001 and 1002 are gold.';
const SCRIPT: ScriptStep[] = [
	{ tool: 'Replace_segment_members', args: { Segment_Title: 'VIP Fans', Segment_Tag: 'vipFans2026', User_IDs: '1001, 1002, 1003' } },
	{ tool: 'Update_user_attributes', args: { User_IDs: '1001, 1002', Properties: { loyalty_tier: 'gold' } } },
	{ answer: FINAL_ANSWER },
];

async function main() {
	installExitHandlers();
	const started = Date.now();
	console.log(`FanPass AI Agent example in real n8n ${N8N_VERSION}, with a stub chat model\n`);
	const timings: Record<string, number> = {};
	const install = ensureN8n(N8N_VERSION);
	timings['n8n install check'] = install.ms;
	let t0 = Date.now();
	const tarball = buildAndPack({ skipBuild: process.env.N8N_E2E_SKIP_BUILD === '1' });
	timings['build + pack'] = Date.now() - t0;
	t0 = Date.now();
	const sandbox = await startSandboxProcess();
	timings['sandbox start'] = Date.now() - t0;
	const model = await startStubModel(SCRIPT);
	const userFolder = scratchUserFolder(`ai-agent-n8n-${N8N_VERSION}`);
	const checks = new Checks();
	try {
		t0 = Date.now();
		installTarball(tarball.file, userFolder, install.node24BinDir);
		timings['package install'] = Date.now() - t0;
		const cli = new N8nCli(install, userFolder, { verbose: process.env.N8N_E2E_VERBOSE === '1' });
		const credentials = await cli.importCredentials([
			{ ...EXAMPLE_CREDENTIAL, type: 'fanPassApi', data: { apiToken: SANDBOX_TOKEN, baseUrl: sandbox.url } },
			{ id: 'openai-account', name: 'OpenAI account', type: 'openAiApi', data: { apiKey: 'sk-stub-not-a-real-key', url: model.baseUrl } },
		]);
		checks.check('n8n import:credentials', credentials.code === 0, credentials.stderr);
		const { workflow, agentNodeName } = runnableExample();
		const imported = await cli.importWorkflows([workflow]);
		checks.check('n8n import:workflow (the example)', imported.code === 0, imported.stderr);

		timings['n8n import:credentials + import:workflow'] = credentials.ms + imported.ms;
		const execution = await cli.execute(workflow.id);
		timings['n8n execute (the agent run)'] = execution.result.ms;
		checks.check('n8n execute exits 0', execution.result.code === 0, `${execution.result.stdout.slice(-1500)}\n${execution.result.stderr.slice(-1500)}`);
		const answer = execution.nodeOutput[agentNodeName]?.[0]?.json.output;
		checks.check("the agent's answer is the model's final message", answer === FINAL_ANSWER, answer ?? execution.text.slice(-1500));

		checkOfferedTools(checks, model.requests, SCRIPT);
		const state = await sandbox.state();
		checkSandboxWrites(checks, state);
		console.log(`\n  sandbox after the run:\n${summariseState(state)}`);
	} finally {
		await model.close();
		await stopAll();
		if (process.env.N8N_E2E_KEEP === '1') console.log(`scratch N8N_USER_FOLDER kept: ${userFolder}`);
		else fs.rmSync(userFolder, { recursive: true, force: true });
	}
	console.log('\n  timings:');
	for (const [name, ms] of Object.entries(timings)) console.log(`    ${name.padEnd(42)} ${secs(ms)}`);
	const failures = checks.failed.length;
	console.log(`\n${failures === 0 ? 'all checks passed' : `${failures} check(s) FAILED`} (${checks.all.length} checks) in ${secs(Date.now() - started)}`);
	process.exitCode = failures === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exitCode = 1;
	void stopAll();
});
