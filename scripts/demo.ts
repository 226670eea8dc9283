/**
 * `npm run demo`: the package in a real n8n, end to end, in one command.
 *
 * Builds and packs the package, starts the FanPass sandbox, installs the package into a scratch n8n
 * (headless, the way n8n installs community packages), imports and runs every workflow in examples/,
 * prints what each one output and what FanReach (the sandbox) now holds, then stops everything.
 *
 * Environment: N8N_DEMO_VERSION (default: the latest in n8n-runtime/n8n-versions.json), N8N_DEMO_KEEP=1 keeps the scratch user folder.
 */
import * as fs from 'node:fs';
import { show } from './n8n-runtime/checks';
import type { Execution, NodeItem, WorkflowJson } from './n8n-runtime/n8nCli';
import { ensureN8n } from './n8n-runtime/n8nInstall';
import { versionFromEnv } from './n8n-runtime/n8nVersions';
import { buildAndPack, scratchUserFolder } from './n8n-runtime/packageTarball';
import { prepareInstance } from './n8n-runtime/prepareInstance';
import { installExitHandlers, secs, stopAll } from './n8n-runtime/processes';
import { startSandboxProcess, type SandboxState } from './n8n-runtime/sandboxProcess';
import { requestCounts, table } from './n8n-runtime/summary';

const VERSION = versionFromEnv('N8N_DEMO_VERSION');

/** One line for an output item of a FanPass node. */
function describeItem(json: Record<string, unknown>): string {
	if (json.error !== undefined) return `error: ${show(json.error, 100)}`;
	if (json.importId !== undefined && json.state !== undefined) return `import ${json.importId} ${json.state}${json.done !== undefined ? ` (${json.done}/${json.totalUsers ?? json.total_users ?? '?'})` : ''}`;
	if (json.importId !== undefined) return `file uploaded, import ${json.importId}`;
	if (json.tag !== undefined && json.userCount !== undefined) return `${json.tag}: ${json.userCount} users`;
	if (Array.isArray(json.userIds)) return `${json.userIds.join(',')} ← ${JSON.stringify(json.userProperties ?? {})}`;
	return show(json, 100);
}

function describeOutput(items: NodeItem[], max = 3): string[] {
	if (items.length === 0) return ['(no items)'];
	const lines = items.slice(0, max).map((item) => describeItem(item.json));
	if (items.length > max) lines.push(`… ${items.length - max} more item(s)`);
	return lines;
}

function errorLine(execution: Execution): string {
	const error = execution.error;
	if (!error) return execution.text.trim().split('\n').slice(-3).join(' ');
	return `${error.message ?? ''}${error.description ? ` — ${error.description}` : ''}`;
}

function printFanReach(state: SandboxState): void {
	console.log('\nWhat FanReach (the sandbox) now holds\n');
	const segments = Object.values(state.segments);
	console.log(`Imported Segments (${segments.length})`);
	console.log(
		table(
			['tag', 'title', 'users', 'mode', 'version', 'first members'],
			segments.map((s) => [s.tag, s.title, String(s.userIds.length), s.mode, `v${s.version}`, s.userIds.slice(0, 3).join(', ') + (s.userIds.length > 3 ? ', …' : '')]),
		),
	);
	const users = Object.entries(state.users);
	console.log(`\nUsers with attributes (${users.length})`);
	const shown = users.slice(0, 8);
	console.log(
		table(
			['user', 'user_properties', 'custom attributes'],
			shown.map(([id, u]) => [id, JSON.stringify(u.user_properties), JSON.stringify(u.custom)]),
		),
	);
	if (users.length > shown.length) console.log(`  … and ${users.length - shown.length} more users`);
	const imports = Object.entries(state.imports);
	console.log(`\nFile imports (${imports.length})`);
	console.log(
		table(
			['import', 'state', 'done / total'],
			imports.map(([id, i]) => [id, i.import_status?.state ?? '?', `${i.import_status?.done ?? '?'} / ${i.import_status?.total_users ?? '?'}`]),
		),
	);
	console.log(`\nFanPass API requests (${state.requests.length}): ${requestCounts(state)}`);
}

async function main(): Promise<void> {
	installExitHandlers();
	const t0 = Date.now();
	console.log(`FanPass demo: the n8n-nodes-fanpass package in a real n8n ${VERSION}\n`);
	const install = ensureN8n(VERSION);
	const tarball = buildAndPack();
	console.log(`packed ${tarball.file.split('/').pop()}`);
	const sandbox = await startSandboxProcess({ importDurationMs: 1500 });
	console.log(`FanPass sandbox on ${sandbox.url}`);
	const userFolder = scratchUserFolder(`demo-n8n-${VERSION}`);
	let failures = 0;
	let skipped = 0;
	try {
		const instance = await prepareInstance(install, userFolder, tarball.file, sandbox.url);
		console.log(`n8n ${VERSION} ready (package installed, credential + ${instance.workflows.length} examples imported) after ${secs(Date.now() - t0)}\n`);
		const rows: string[][] = [];
		for (const workflow of instance.workflows) {
			if (needsChatModel(workflow)) {
				console.log(`skipping "${workflow.name}": it needs a chat model (npm run test:ai-agent runs it with a local stub model)`);
				rows.push([workflow.name, 'skipped', '', 'needs a chat model: see npm run test:ai-agent']);
				skipped++;
				continue;
			}
			process.stdout.write(`running "${workflow.name}" … `);
			const execution = await instance.cli.execute(workflow.id);
			const ok = execution.result.code === 0 && !!execution.data && !execution.error;
			if (!ok) failures++;
			console.log(ok ? `ok (${secs(execution.result.ms)})` : 'FAILED');
			const last = workflow.nodes[workflow.nodes.length - 1].name;
			const output = ok ? describeOutput(execution.nodeOutput[last] ?? []) : [errorLine(execution)];
			output.forEach((line, i) => rows.push(i === 0 ? [workflow.name, ok ? 'ok' : 'FAILED', secs(execution.result.ms), `${last}: ${line}`] : ['', '', '', `  ${line}`]));
		}
		console.log('\nWhat each workflow output (its last node)\n');
		console.log(table(['workflow', 'result', 'time', 'output'], rows));
		printFanReach(await sandbox.state());
	} finally {
		await stopAll();
		if (process.env.N8N_DEMO_KEEP === '1') console.log(`\nscratch N8N_USER_FOLDER kept: ${userFolder}`);
		else fs.rmSync(userFolder, { recursive: true, force: true });
	}
	console.log(`\n${failures === 0 ? 'All examples ran' : `${failures} example(s) failed`}${skipped > 0 ? ` (${skipped} skipped)` : ''}. Demo took ${secs(Date.now() - t0)}; everything is stopped.`);
	console.log('Next: `npm run dev` opens the same setup in n8n\'s editor.');
	process.exitCode = failures === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
	console.error(`\ndemo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
	process.exitCode = 1;
	void stopAll();
});

/** The AI Agent example talks to a chat model (OpenAI), which the demo does not have. */
function needsChatModel(workflow: WorkflowJson): boolean {
	return workflow.nodes.some((node) => node.type.startsWith('@n8n/n8n-nodes-langchain.'));
}
