/**
 * End-to-end test in a REAL n8n, with the package installed the way n8n installs community packages.
 *
 *   npm run test:e2e          (= tsx test/e2e/run.ts)
 *
 * Once: build + `npm pack`, start the FanPass sandbox (sandbox/cli.ts) on a free port.
 * Per n8n version (N8N_E2E_VERSIONS, default: both in scripts/n8n-runtime/n8n-versions.json):
 *   1. install n8n (scripts/n8n/install.sh, cached in .cache/n8n/<version>/)
 *   2. fresh N8N_USER_FOLDER under .cache/e2e/, the tarball installed into <folder>/.n8n/nodes
 *   3. import the credentials, examples/*.json and test/e2e/workflows/*.json
 *   4. run each suite in suites/ (`n8n execute --id --rawOutput`), checking output and sandbox state
 *
 * Environment (all optional):
 *   N8N_E2E_VERSIONS      n8n versions, comma separated (default: scripts/n8n-runtime/n8n-versions.json)
 *   N8N_E2E_SKIP_BUILD=1  use the existing dist/ (still packs)
 *   N8N_E2E_KEEP=1        keep the scratch N8N_USER_FOLDERs
 *   N8N_E2E_VERBOSE=1     print n8n's full stdout/stderr
 *   N8N_E2E_SUITES        only the suites whose name contains one of these (comma separated), e.g.
 *                         "skip unchanged"; the dev check is then left out
 *
 * Not a jest test on purpose (no .test.ts suffix). Exit code: 0 when every check passed, 1 otherwise.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Checks } from '../../scripts/n8n-runtime/checks';
import { fileAccessEnv, pointAtFiles, stageExampleFiles } from '../../scripts/n8n-runtime/exampleFiles';
import { N8nCli, readWorkflows, type WorkflowJson } from '../../scripts/n8n-runtime/n8nCli';
import { ensureN8n } from '../../scripts/n8n-runtime/n8nInstall';
import { versionsFromEnv } from '../../scripts/n8n-runtime/n8nVersions';
import { buildAndPack, installTarball, PACKAGE_NAME, scratchUserFolder, type Tarball } from '../../scripts/n8n-runtime/packageTarball';
import { startN8nServer, type N8nServer } from '../../scripts/n8n-runtime/n8nServer';
import { installExitHandlers, ROOT, run, secs, stopAll } from '../../scripts/n8n-runtime/processes';
import { SANDBOX_TOKEN, startSandboxProcess, type SandboxProcess } from '../../scripts/n8n-runtime/sandboxProcess';
import { summariseItems, summariseState } from '../../scripts/n8n-runtime/summary';
import type { ExecutionRecord, SuiteContext } from './suites/context';
import { badToken } from './suites/badToken';
import { aggregation, continueRegularOutput, continueUsingErrorOutput } from './suites/edgeCases';
import { credentialTest } from './suites/credentialTest';
import { largeSegmentZipped } from './suites/largeSegment';
import { editorListing } from './suites/editorListing';
import { skipUnchanged, skipUnchangedQueueMode } from './suites/skipUnchanged';
import { crmTierSegments, csvUploadAndWait, fileFromDisk, loyaltyUserAttributes, scheduledRefresh } from './suites/examples';

const VERBOSE = process.env.N8N_E2E_VERBOSE === '1';
/** Not accepted by the sandbox; random so that it cannot match a configured token by accident. */
const BAD_TOKEN = `bad-${randomBytes(12).toString('hex')}`;
const IMPORT_DURATION_MS = 1500;

const allSuites: Array<[string, (ctx: SuiteContext) => Promise<void>]> = [
	['example: CRM tiers → Upsert Segment', crmTierSegments],
	['example: loyalty → Update User', loyaltyUserAttributes],
	['example: CSV → Upload File → Wait for Import', csvUploadAndWait],
	['example: file from disk → Upload File → Wait for Import', fileFromDisk],
	['example: scheduled segment refresh', scheduledRefresh],
	['edge case: continue (using error output)', continueUsingErrorOutput],
	['edge case: continue (regular output)', continueRegularOutput],
	['edge case: aggregation into one request', aggregation],
	['edge case: 1,000,000 IDs as one zipped upload', largeSegmentZipped],
	['edge case: bad token', badToken],
	// these activate their workflow with the CLI, then start n8n: they must come before the server suites
	['skip unchanged: nightly production runs in queue mode (Redis, main, worker)', skipUnchangedQueueMode],
	['skip unchanged: nightly production runs', skipUnchanged],
	// from here on n8n runs as a server on the same user folder (no more `n8n execute`: one process on the SQLite file)
	["editor listing: workflows, credentials, node type (REST)", editorListing],
	["credential Test through n8n's REST API", credentialTest],
];

const suiteFilter = (process.env.N8N_E2E_SUITES ?? '').split(',').map((part) => part.trim().toLowerCase()).filter(Boolean);
const suites = suiteFilter.length === 0 ? allSuites : allSuites.filter(([name]) => suiteFilter.some((part) => name.toLowerCase().includes(part)));

const redact = (text: string) => text.split(BAD_TOKEN).join('<bad-token>');
const checks = new Checks(redact);
const started = Date.now();

async function runVersion(version: string, tarball: Tarball, sandbox: SandboxProcess): Promise<{ timings: Record<string, number>; records: ExecutionRecord[] }> {
	const timings: Record<string, number> = {};
	checks.section = `n8n ${version}: setup`;
	console.log(`\n======== n8n ${version} ========`);
	const install = ensureN8n(version);
	timings.install = install.ms;

	let t0 = Date.now();
	const userFolder = scratchUserFolder(`n8n-${version}`);
	const packageDir = installTarball(tarball.file, userFolder, install.node24BinDir);
	checks.check(`package installed under .n8n/nodes/node_modules/${PACKAGE_NAME}`, fs.existsSync(path.join(packageDir, 'dist', 'nodes', 'FanPass', 'FanPass.node.js')));
	checks.check('n8n-workflow NOT installed next to it (n8n provides it)', !fs.existsSync(path.join(packageDir, 'node_modules', 'n8n-workflow')) && !fs.existsSync(path.join(userFolder, '.n8n', 'nodes', 'node_modules', 'n8n-workflow')));
	timings.packageInstall = Date.now() - t0;

	t0 = Date.now();
	const filesDir = stageExampleFiles(userFolder);
	const env = fileAccessEnv(filesDir);
	const cli = new N8nCli(install, userFolder, { secrets: [BAD_TOKEN], verbose: VERBOSE, env });
	const credentialIds = { good: 'fanpass-sandbox', bad: 'fanpass-bad-token' };
	const importCredentials = await cli.importCredentials([
		{ id: credentialIds.good, name: 'FanPass Sandbox', type: 'fanPassApi', data: { apiToken: SANDBOX_TOKEN, baseUrl: sandbox.url } },
		{ id: credentialIds.bad, name: 'FanPass Bad Token', type: 'fanPassApi', data: { apiToken: BAD_TOKEN, baseUrl: sandbox.url } },
	]);
	checks.check('n8n import:credentials', importCredentials.code === 0, redact(importCredentials.stderr || importCredentials.stdout));
	const workflowList: WorkflowJson[] = pointAtFiles([...readWorkflows(path.join(ROOT, 'examples')), ...readWorkflows(path.join(__dirname, 'workflows'))], filesDir);
	const workflows = new Map(workflowList.map((w) => [w.id, w]));
	const importWorkflows = await cli.importWorkflows(workflowList);
	checks.check(`n8n import:workflow (${workflowList.length} workflows)`, importWorkflows.code === 0, importWorkflows.stderr || importWorkflows.stdout);
	timings.imports = Date.now() - t0;

	const records: ExecutionRecord[] = [];
	let server: Promise<N8nServer> | undefined;
	const ctx: SuiteContext = {
		install,
		userFolder,
		cli,
		sandbox,
		checks,
		workflows,
		secrets: [BAD_TOKEN],
		credentialIds,
		server: () => {
			server ??= startN8nServer({ install, userFolder, verbose: VERBOSE, env }).then((started) => {
				timings['n8n start (until logged in)'] = started.startupMs;
				console.log(`    n8n server on ${started.url} (ready and logged in after ${secs(started.startupMs)})`);
				return started;
			});
			return server;
		},
		filesDir,
		env,
		execute: async (id, options = {}) => {
			const workflow = workflows.get(id);
			if (!workflow) throw new Error(`no workflow with id ${id} in examples/ or test/e2e/workflows/`);
			console.log(`  ▶ ${workflow.name}  (n8n execute --id=${id} --rawOutput)`);
			if (options.reset !== false) await sandbox.reset();
			const execution = await cli.execute(id);
			const state = await sandbox.state();
			const last = workflow.nodes[workflow.nodes.length - 1].name;
			const record: ExecutionRecord = { id, name: workflow.name, version, ms: execution.result.ms, code: execution.result.code, last, execution, state };
			records.push(record);
			console.log(`    exit ${execution.result.code}${execution.result.timedOut ? ' (TIMED OUT)' : ''} in ${secs(execution.result.ms)}`);
			return record;
		},
	};
	for (const [name, suite] of suites) {
		checks.section = `n8n ${version}: ${name}`;
		console.log(`\n▶ [n8n ${version}] ${name}`);
		t0 = Date.now();
		try {
			await suite(ctx);
		} catch (error) {
			checks.check(`${name} ran to the end`, false, error instanceof Error ? error.stack : String(error));
		}
		timings[name] = Date.now() - t0;
	}

	if (server) await (await server.catch(() => undefined))?.stop();
	if (process.env.N8N_E2E_KEEP === '1') console.log(`scratch N8N_USER_FOLDER kept: ${userFolder}`);
	else fs.rmSync(userFolder, { recursive: true, force: true });
	return { timings, records };
}

function printSummary(results: Map<string, { timings: Record<string, number>; records: ExecutionRecord[]; ms: number }>, buildMs: number, devCheckMs: number): void {
	console.log('\n================ summary ================');
	for (const [version, { records }] of results) {
		for (const r of records) {
			console.log(`\n[n8n ${version}] ${r.name} [${r.id}] exit ${r.code}, ${secs(r.ms)}`);
			const items = r.execution.nodeOutput[r.last] ?? [];
			console.log(`  output of "${r.last}" (${items.length} item(s)):`);
			console.log(items.length ? summariseItems(items) : '      (none)');
			const error = r.execution.error;
			if (error) {
				console.log(`  execution error (HTTP ${error.httpCode ?? '-'}): ${redact(String(error.message))}`);
				if (error.description) console.log(`      ${redact(String(error.description))}`);
			}
			console.log('  sandbox state after the run:');
			console.log(summariseState(r.state));
		}
	}
	console.log('\ntimings:');
	console.log(`  build + pack: ${secs(buildMs)}`);
	for (const [version, { timings, ms }] of results) {
		console.log(`  n8n ${version}: ${secs(ms)} in all`);
		for (const [name, t] of Object.entries(timings)) console.log(`    ${name.padEnd(48)} ${secs(t)}`);
	}
	console.log(`  npm run dev -- --check: ${secs(devCheckMs)}`);
	console.log(`  total: ${secs(Date.now() - started)}`);
	const failed = checks.failed;
	console.log(`\n${checks.all.length - failed.length}/${checks.all.length} checks passed`);
	for (const c of failed) console.log(`  FAIL [${c.section}] ${c.name}${c.detail ? `: ${c.detail}` : ''}`);
}

async function main(): Promise<void> {
	installExitHandlers();
	const versions = versionsFromEnv(['N8N_E2E_VERSIONS', 'N8N_E2E_VERSION']);
	console.log(`FanPass e2e in real n8n ${versions.join(' and ')}\n`);
	let t0 = Date.now();
	const tarball = buildAndPack({ skipBuild: process.env.N8N_E2E_SKIP_BUILD === '1' });
	const buildMs = Date.now() - t0;
	console.log(`  packed ${path.relative(ROOT, tarball.file)} (${tarball.fileCount} files) in ${secs(buildMs)}`);
	const sandbox = await startSandboxProcess({ importDurationMs: IMPORT_DURATION_MS });
	console.log(`  sandbox on ${sandbox.url} (import duration ${IMPORT_DURATION_MS} ms)`);

	const results = new Map<string, { timings: Record<string, number>; records: ExecutionRecord[]; ms: number }>();
	for (const version of versions) {
		t0 = Date.now();
		try {
			const result = await runVersion(version, tarball, sandbox);
			results.set(version, { ...result, ms: Date.now() - t0 });
		} catch (error) {
			checks.check(`n8n ${version}: suite ran`, false, error instanceof Error ? error.stack : String(error));
		}
	}
	let devCheckMs = 0;
	if (suiteFilter.length === 0) {
		// `npm run dev -- --check` on the first version: the dev editor starts, answers and lists the examples
		checks.section = 'npm run dev -- --check';
		console.log(`\n▶ npm run dev -- --check (n8n ${versions[0]})`);
		t0 = Date.now();
		const devCheck = await run(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/dev.ts', '--check', '--skip-build'], {
			env: { ...process.env, N8N_DEV_VERSION: versions[0] },
			timeoutMs: 300_000,
		});
		devCheckMs = Date.now() - t0;
		checks.check(`dev check exits 0 (${secs(devCheckMs)})`, devCheck.code === 0, `${devCheck.stdout}\n${devCheck.stderr}`.trim().split('\n').slice(-15).join('\n'));
		checks.check('dev check printed that the editor lists the examples', /dev check passed/.test(devCheck.stdout), devCheck.stdout.slice(-500));
	}
	printSummary(results, buildMs, devCheckMs);
	await stopAll();
	process.exitCode = checks.failed.length === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
	console.error(`\nE2E ABORTED: ${redact(error instanceof Error ? (error.stack ?? error.message) : String(error))}`);
	process.exitCode = 1;
	void stopAll();
});
