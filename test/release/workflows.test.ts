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

	it('publish.yml publishes with provenance on a v* tag that matches package.json, after the full CI', () => {
		const publish = load('publish.yml');
		expect(publish.on).toEqual({ push: { tags: ['v*'] } });
		const [job] = Object.values(publish.jobs);
		expect(job.permissions).toMatchObject({ 'id-token': 'write' });
		expect(setupNode(publish)?.with).toMatchObject({ 'node-version': 20, 'registry-url': 'https://registry.npmjs.org' });
		const runs = job.steps.map((step) => step.run ?? '');
		const tagCheck = runs.findIndex((run) => run.includes('GITHUB_REF_NAME') && run.includes('package.json'));
		const ciRun = runs.indexOf('.ci/run');
		const npmPublish = runs.findIndex((run) => run.includes('npm publish'));
		expect(tagCheck).toBeGreaterThanOrEqual(0);
		expect(ciRun).toBeGreaterThan(tagCheck);
		expect(npmPublish).toBeGreaterThan(ciRun);
		expect(runs[npmPublish]).toBe('npm publish --provenance --access public');
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
