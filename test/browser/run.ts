/**
 * Browser test: n8n's editor in a real Chromium (Debian's package, driven by playwright-core), with this
 * package installed the way n8n installs community packages.
 *
 *   bash scripts/browser/install.sh && npm run test:browser      (= tsx test/browser/run.ts)
 *
 * Once: build + `npm pack`, start the FanPass sandbox, launch chromium.
 * Per n8n version (N8N_BROWSER_VERSIONS, default: both in scripts/n8n-runtime/n8n-versions.json):
 *   1. fresh N8N_USER_FOLDER with the tarball in .n8n/nodes; `n8n start`; owner set up over REST
 *   2. sign in as the owner in the browser
 *   3. credential modal: FanPass API with the sandbox URL; Save runs the Test → success banner;
 *      a bad token → FanPass's 401 message (steps/credential.ts)
 *   4. new workflow: node panel search "FanPass" → the node and its actions; each action's form renders
 *      its parameters with the credential selected; the saved workflow holds one node per action
 *      (steps/nodeForms.ts)
 *   5. no console errors, uncaught exceptions or failed requests, apart from n8n's own offline noise
 *      (lib/consoleWatch.ts lists the rules and why)
 * Screenshots go to .cache/browser/screenshots/<version>/; with --update-screenshots the first version's
 * are also written to docs/screenshots/ (the README's pictures).
 *
 * Environment (all optional):
 *   N8N_BROWSER_VERSIONS  n8n versions, comma separated (default: scripts/n8n-runtime/n8n-versions.json)
 *   N8N_E2E_SKIP_BUILD=1  use the existing dist/ (still packs)
 *   CHROMIUM_PATH         the browser binary (default: `chromium` on PATH)
 *   N8N_E2E_VERBOSE=1     echo n8n's output
 *
 * Exit code: 0 when every check passed, 1 otherwise.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { Checks } from '../../scripts/n8n-runtime/checks';
import { ensureN8n } from '../../scripts/n8n-runtime/n8nInstall';
import { versionsFromEnv } from '../../scripts/n8n-runtime/n8nVersions';
import { startN8nServer } from '../../scripts/n8n-runtime/n8nServer';
import { buildAndPack, installTarball, scratchUserFolder, type Tarball } from '../../scripts/n8n-runtime/packageTarball';
import { installExitHandlers, ROOT, secs, stopAll } from '../../scripts/n8n-runtime/processes';
import { startSandboxProcess, type SandboxProcess } from '../../scripts/n8n-runtime/sandboxProcess';
import { launchChromium } from './lib/chromium';
import { ConsoleWatch, NOISE } from './lib/consoleWatch';
import { Editor } from './lib/editor';
import type { StepContext } from './steps/context';
import { credentialStep } from './steps/credential';
import { nodeFormsStep } from './steps/nodeForms';

const VERSIONS = versionsFromEnv(['N8N_BROWSER_VERSIONS']);
const UPDATE_SCREENSHOTS = process.argv.includes('--update-screenshots');
const DOCS_SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');
/** Not accepted by the sandbox; random so that it cannot match a configured token by accident. */
const BAD_TOKEN = `bad-${randomBytes(12).toString('hex')}`;
const VIEWPORT = { width: 1280, height: 800 };

const redact = (text: string) => text.split(BAD_TOKEN).join('<bad-token>');
const checks = new Checks(redact);
const started = Date.now();

interface VersionResult {
	timings: Record<string, number>;
	screenshots: string[];
	dirs: string[];
	watch?: ConsoleWatch;
}

async function runVersion(version: string, index: number, tarball: Tarball, sandbox: SandboxProcess, browser: Browser): Promise<VersionResult> {
	const timings: Record<string, number> = {};
	checks.section = `n8n ${version}`;
	console.log(`\n======== n8n ${version} ========`);
	const install = ensureN8n(version);
	timings['n8n install check'] = install.ms;

	let t0 = Date.now();
	const userFolder = scratchUserFolder(`browser-${version}`);
	installTarball(tarball.file, userFolder, install.node24BinDir);
	const server = await startN8nServer({ install, userFolder, verbose: process.env.N8N_E2E_VERBOSE === '1' });
	timings['package install + n8n start'] = Date.now() - t0;
	console.log(`  n8n ${version} on ${server.url} (started in ${secs(server.startupMs)})`);

	const dirs = [path.join(ROOT, '.cache', 'browser', 'screenshots', version)];
	if (UPDATE_SCREENSHOTS && index === 0) dirs.push(DOCS_SCREENSHOTS);
	const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
	const page = await context.newPage();
	page.setDefaultTimeout(20_000);
	const watch = new ConsoleWatch(page);
	const editor = new Editor(page, server.url);
	const ctx: StepContext = { version, editor, watch, server, sandbox, checks, badToken: BAD_TOKEN, screenshotDirs: dirs, screenshots: [] };

	const steps: Array<[string, () => Promise<void>]> = [
		['sign in', async () => {
			await editor.signIn(server.owner.email, server.owner.password);
			checks.check('signed in as the owner in the browser', !new URL(page.url()).pathname.startsWith('/signin'), page.url());
		}],
		['credential', () => credentialStep(ctx)],
		['node panel and forms', () => nodeFormsStep(ctx)],
	];
	try {
		for (const [name, step] of steps) {
			watch.step = name;
			console.log(`\n▶ [n8n ${version}] ${name}`);
			t0 = Date.now();
			try {
				await step();
			} catch (error) {
				checks.check(`${name}: ran to the end`, false, error instanceof Error ? error.message : String(error));
				await page.screenshot({ path: path.join(dirs[0], `failed-${name.replace(/\W+/g, '-')}.png`) }).catch(() => undefined);
				if (name === 'sign in') break;
			}
			timings[name] = Date.now() - t0;
		}
		watch.step = 'end';
		console.log(`\n▶ [n8n ${version}] console`);
		fs.mkdirSync(dirs[0], { recursive: true });
		fs.writeFileSync(path.join(dirs[0], 'page-events.json'), redact(JSON.stringify(watch.events, null, 2)));
		const problems = watch.problems();
		checks.check('no console errors, uncaught exceptions or failed requests (apart from the listed n8n noise)', problems.length === 0, problems.map((p) => `[${p.step}] ${p.kind}: ${p.text.slice(0, 300)}`).join('\n         '));
		checks.check('no console warning mentions FanPass', !watch.warnings().some((w) => /fanpass/i.test(w.text)), watch.warnings().filter((w) => /fanpass/i.test(w.text)));
	} finally {
		await context.close();
		await server.stop();
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
	return { timings, screenshots: ctx.screenshots, dirs, watch };
}

function printSummary(results: Map<string, VersionResult>, setupMs: number): void {
	console.log('\n================ summary ================');
	for (const [version, { screenshots, dirs, watch, timings }] of results) {
		console.log(`\nn8n ${version}`);
		console.log(`  screenshots (${screenshots.length}) in ${dirs.map((d) => path.relative(ROOT, d)).join(' and ')}:`);
		for (const file of screenshots) console.log(`    ${file}`);
		const ignored = watch?.ignored() ?? [];
		console.log(`  page events ignored as n8n's own noise: ${ignored.length}`);
		for (const rule of NOISE) {
			const hits = ignored.filter((i) => i.why === rule.why);
			if (hits.length) console.log(`    ${hits.length} × ${rule.why}\n        e.g. [${hits[0].event.step}] ${hits[0].event.kind}: ${hits[0].event.text.slice(0, 160)}`);
		}
		console.log(`  console warnings (not failures unless they mention FanPass): ${watch?.warnings().length ?? 0}`);
		console.log('  timings:');
		for (const [name, t] of Object.entries(timings)) console.log(`    ${name.padEnd(32)} ${secs(t)}`);
	}
	console.log(`\nbuild + pack + sandbox + chromium: ${secs(setupMs)}`);
	console.log(`total: ${secs(Date.now() - started)}`);
	const failed = checks.failed;
	console.log(`\n${checks.all.length - failed.length}/${checks.all.length} checks passed`);
	for (const c of failed) console.log(`  FAIL [${c.section}] ${c.name}${c.detail ? `: ${c.detail}` : ''}`);
}

async function main(): Promise<void> {
	installExitHandlers();
	console.log(`FanPass in n8n's editor, in Chromium: n8n ${VERSIONS.join(' and ')}\n`);
	const t0 = Date.now();
	const tarball = buildAndPack({ skipBuild: process.env.N8N_E2E_SKIP_BUILD === '1' });
	console.log(`  packed ${path.relative(ROOT, tarball.file)} (${tarball.fileCount} files)`);
	const sandbox = await startSandboxProcess();
	console.log(`  sandbox on ${sandbox.url}`);
	const browser = await launchChromium();
	console.log(`  chromium ${browser.version()}`);
	const setupMs = Date.now() - t0;

	const results = new Map<string, VersionResult>();
	try {
		for (const [index, version] of VERSIONS.entries()) {
			try {
				results.set(version, await runVersion(version, index, tarball, sandbox, browser));
			} catch (error) {
				checks.check(`n8n ${version}: browser test ran`, false, error instanceof Error ? error.stack : String(error));
			}
		}
	} finally {
		await browser.close();
	}
	printSummary(results, setupMs);
	await stopAll();
	process.exitCode = checks.failed.length === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
	console.error(`\nBROWSER TEST ABORTED: ${redact(error instanceof Error ? (error.stack ?? error.message) : String(error))}`);
	process.exitCode = 1;
	void stopAll();
});
