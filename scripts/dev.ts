/**
 * `npm run dev`: n8n's editor on localhost with the package installed (as a community package), the FanPass
 * sandbox running, and the "FanPass Sandbox" credential and the examples imported, owned by a dev owner.
 * Runs until Ctrl-C, then stops everything.
 *
 *   npm run dev                 editor on http://localhost:5678 (or a free port if 5678 is taken)
 *   npm run dev -- --check      start everything, verify the editor answers and lists the examples, exit 0/1
 *   --skip-build                use the existing dist/ (still packs)
 *
 * Environment: N8N_DEV_VERSION (default: the latest in n8n-runtime/n8n-versions.json), N8N_DEV_PORT (default 5678), FANPASS_SANDBOX_PORT (default 5680).
 * The user folder is .cache/dev/n8n-<version>/ and is kept between runs (your own workflows stay; the
 * examples and the credential are re-imported on each start); --check uses a scratch folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLE_CREDENTIAL, prepareInstance } from './n8n-runtime/prepareInstance';
import { ensureN8n } from './n8n-runtime/n8nInstall';
import { versionFromEnv } from './n8n-runtime/n8nVersions';
import { startN8nServer, unwrap, type N8nServer, type Owner } from './n8n-runtime/n8nServer';
import { buildAndPack, PACKAGE_NAME, scratchUserFolder } from './n8n-runtime/packageTarball';
import { installExitHandlers, isPortFree, ROOT, secs, stopAll } from './n8n-runtime/processes';
import { SANDBOX_TOKEN, startSandboxProcess } from './n8n-runtime/sandboxProcess';

const VERSION = versionFromEnv('N8N_DEV_VERSION');
const CHECK = process.argv.includes('--check') || process.env.N8N_DEV_CHECK === '1';
/** A local, dev-only login (the editor only listens on 127.0.0.1); printed on screen on purpose. */
const DEV_OWNER: Owner = { email: 'dev@fanpass.test', password: 'FanPass-dev-0nly', firstName: 'FanPass', lastName: 'Developer' };

async function portOrFree(preferred: number): Promise<number | undefined> {
	return (await isPortFree(preferred)) ? preferred : undefined;
}

/** What --check verifies; returns the problems found. */
async function verify(server: N8nServer, exampleIds: string[]): Promise<string[]> {
	const problems: string[] = [];
	const editor = await fetch(`${server.url}/`);
	const html = await editor.text();
	if (!editor.ok || !/<html/i.test(html)) problems.push(`the editor (GET /) answered ${editor.status} without HTML`);
	const workflows = unwrap<Array<{ id: string; name: string }>>(await server.rest('GET', '/rest/workflows'));
	const listed = new Set(workflows.map((w) => w.id));
	const missing = exampleIds.filter((id) => !listed.has(id));
	if (missing.length) problems.push(`the owner's workflow list lacks ${missing.join(', ')}`);
	const credentials = unwrap<Array<{ id: string; name: string; type: string }>>(await server.rest('GET', '/rest/credentials'));
	if (!credentials.some((c) => c.id === EXAMPLE_CREDENTIAL.id && c.type === 'fanPassApi')) problems.push('the owner does not see the "FanPass Sandbox" credential');
	const types = await fetch(`${server.url}/types/nodes.json`, { headers: { cookie: server.cookie } });
	const nodeTypes = types.ok ? ((await types.json()) as Array<{ name: string }>) : [];
	if (!nodeTypes.some((t) => t.name === `${PACKAGE_NAME}.fanPass`)) problems.push(`the editor's node types (/types/nodes.json, ${types.status}) lack ${PACKAGE_NAME}.fanPass`);
	console.log(`check: editor ${editor.status}, ${workflows.length} workflows listed, ${credentials.length} credential(s), ${nodeTypes.length} node types`);
	return problems;
}

async function main(): Promise<void> {
	const t0 = Date.now();
	let server: N8nServer | undefined;
	installExitHandlers(async () => {
		await server?.stop();
	});
	const install = ensureN8n(VERSION);
	const tarball = buildAndPack({ skipBuild: process.argv.includes('--skip-build') });
	const sandbox = await startSandboxProcess({ port: await portOrFree(Number(process.env.FANPASS_SANDBOX_PORT || 5680)), importDurationMs: 3000 });
	const userFolder = CHECK ? scratchUserFolder(`dev-check-n8n-${VERSION}`) : path.join(ROOT, '.cache', 'dev', `n8n-${VERSION}`);
	fs.mkdirSync(userFolder, { recursive: true });
	try {
		const instance = await prepareInstance(install, userFolder, tarball.file, sandbox.url);
		server = await startN8nServer({
			install,
			userFolder,
			port: await portOrFree(Number(process.env.N8N_DEV_PORT || 5678)),
			owner: DEV_OWNER,
			env: instance.env,
		});
		const editorUrl = server.url.replace('127.0.0.1', 'localhost');
		if (CHECK) {
			const problems = await verify(server, instance.workflows.map((w) => w.id));
			for (const problem of problems) console.error(`check FAILED: ${problem}`);
			console.log(problems.length ? 'dev check failed' : `dev check passed: n8n ${VERSION} editor on ${editorUrl} with the package, the credential and ${instance.workflows.length} examples (${secs(Date.now() - t0)})`);
			process.exitCode = problems.length ? 1 : 0;
			return;
		}
		console.log(
			[
				'',
				`n8n ${VERSION} editor with n8n-nodes-fanpass: ${editorUrl}   (ready after ${secs(Date.now() - t0)})`,
				`  log in as   ${DEV_OWNER.email} / ${DEV_OWNER.password}   (dev-only owner of this local instance)`,
				`  FanPass sandbox: ${sandbox.url}  (token ${SANDBOX_TOKEN}; state at ${sandbox.url}/__sandbox/state)`,
				`  credential "${EXAMPLE_CREDENTIAL.name}" and ${instance.workflows.length} examples: ${instance.workflows.map((w) => w.name).join('; ')}`,
				`  files for Read/Write Files from Disk: ${instance.filesDir}`,
				`  n8n user folder: ${path.relative(ROOT, userFolder)}`,
				'',
				'Ctrl-C stops n8n and the sandbox.',
			].join('\n'),
		);
		await new Promise<never>(() => undefined); // until SIGINT/SIGTERM (installExitHandlers stops everything)
	} finally {
		await server?.stop();
		await stopAll();
		if (CHECK) fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

main().catch((error: unknown) => {
	console.error(`\ndev failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
	process.exitCode = 1;
	void stopAll();
});
