/**
 * The GitHub Actions workflows are only ever run on GitHub, so check here that they parse and
 * that they do what the release process (docs/VERSIONING.md) relies on.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { parseDocument } from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const WORKFLOWS = path.join(ROOT, '.github', 'workflows');

interface Step {
	name?: string;
	uses?: string;
	run?: string;
	with?: Record<string, unknown>;
	env?: Record<string, string>;
}
interface Job {
	'runs-on': string;
	permissions?: Record<string, string>;
	steps: Step[];
}
interface Workflow {
	on: Record<string, unknown>;
	permissions?: Record<string, string>;
	jobs: Record<string, Job>;
}

function load(file: string): Workflow {
	const document = parseDocument(fs.readFileSync(path.join(WORKFLOWS, file), 'utf8'), { strict: true, uniqueKeys: true });
	expect(document.errors.map((error) => error.message)).toEqual([]);
	expect(document.warnings.map((warning) => warning.message)).toEqual([]);
	return document.toJS() as Workflow;
}

const allSteps = (workflow: Workflow) => Object.values(workflow.jobs).flatMap((job) => job.steps);
const setupNode = (workflow: Workflow) => allSteps(workflow).find((step) => step.uses?.startsWith('actions/setup-node@'));
const n8nCache = (workflow: Workflow) => allSteps(workflow).find((step) => step.uses?.startsWith('actions/cache@'));

describe('.github/workflows', () => {
	it('holds only the CI and publish workflows, all valid YAML', () => {
		expect(fs.readdirSync(WORKFLOWS).sort()).toEqual(['ci.yml', 'publish.yml']);
	});

	it('ci.yml runs .ci/run on ubuntu with Node 20, caching npm and .cache/n8n', () => {
		const ci = load('ci.yml');
		expect(Object.keys(ci.on)).toEqual(expect.arrayContaining(['push', 'pull_request']));
		const [job] = Object.values(ci.jobs);
		expect(job['runs-on']).toMatch(/^ubuntu-/);
		expect(setupNode(ci)?.with).toMatchObject({ 'node-version': 20, cache: 'npm' });
		expect(n8nCache(ci)?.with?.path).toBe('.cache/n8n');
		expect(job.steps.at(-1)?.run).toBe('.ci/run');
		expect(fs.statSync(path.join(ROOT, '.ci', 'run')).mode & 0o111).not.toBe(0);
	});

	it('publish.yml runs the full CI on a v* tag, then publishes through n8n-node release with provenance', () => {
		const publish = load('publish.yml');
		expect(publish.on).toEqual({ push: { tags: ['v*'] } });
		const { test, publish: release } = publish.jobs as Record<string, Job & { needs?: string }>;
		const testRuns = test.steps.map((step) => step.run ?? '');
		const tagCheck = testRuns.findIndex((run) => run.includes('GITHUB_REF_NAME') && run.includes('package.json'));
		const repoCheck = testRuns.findIndex((run) => run.includes('scripts/release/check-repository.mjs') && run.includes('GITHUB_REPOSITORY'));
		expect(tagCheck).toBeGreaterThanOrEqual(0);
		expect(repoCheck).toBeGreaterThanOrEqual(0);
		expect(testRuns.indexOf('.ci/run')).toBeGreaterThan(Math.max(tagCheck, repoCheck));

		expect(release.needs).toBe('test');
		expect(release.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
		const node = release.steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
		expect(node?.with).toMatchObject({ 'node-version': 24, 'registry-url': 'https://registry.npmjs.org' });
		const releaseStep = release.steps.find((step) => step.run?.includes('npm run release'));
		expect(releaseStep?.env).toMatchObject({ NPM_CONFIG_IGNORE_SCRIPTS: 'false' });
		const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
			scripts: Record<string, string>;
			publishConfig: Record<string, unknown>;
		};
		expect(manifest.scripts.release).toBe('n8n-node release');
		expect(manifest.scripts.prepublishOnly).toBe('n8n-node prerelease');
		expect(manifest.publishConfig).toEqual({ access: 'public', provenance: true });
	});

	it("package.json's repository, homepage and bugs name one repository, checked against the workflow's", () => {
		const check = (repo: string) => spawnSync('node', ['scripts/release/check-repository.mjs', repo], { cwd: ROOT, encoding: 'utf8' });
		const { repository } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { repository: { url: string } };
		const own = /github\.com\/(.+)\.git$/.exec(repository.url)?.[1] as string;
		expect(check(own).status).toBe(0);
		const fork = check('someone/fork');
		expect(fork.status).toBe(1);
		expect(fork.stdout).toContain(`repository.url names ${own} but the workflow repository is someone/fork`);
	});

	it("publish.yml's tag check passes the matching tag and stops any other", () => {
		const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
		const script = allSteps(load('publish.yml')).find((step) => step.run?.includes('GITHUB_REF_NAME'))?.run as string;
		const check = (tag: string) => spawnSync('bash', ['-e', '-c', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, GITHUB_REF_NAME: tag } });
		expect(check(`v${version}`).status).toBe(0);
		const wrong = check('v99.0.0');
		expect(wrong.status).toBe(1);
		expect(wrong.stdout).toContain(`does not match package.json version ${version}`);
	});
});

describe('CHANGELOG.md', () => {
	it("has a Keep a Changelog section for package.json's version", () => {
		const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
		const changelog = fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
		expect(changelog).toContain('## [Unreleased]');
		expect(changelog).toMatch(new RegExp(`^## \\[${version.replace(/\./g, '\\.')}\\] - \\d{4}-\\d{2}-\\d{2}$`, 'm'));
		expect(changelog).toContain(`[${version}]: https://`);
	});
});
