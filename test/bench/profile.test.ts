/**
 * The CPU-profile summariser on a real V8 profile: a Node.js process run with --cpu-prof whose code sits
 * where the installed package's code sits (n8n-nodes-fanpass/dist/nodes/FanPass/...) and calls into a
 * stand-in for n8n-workflow, so the summary must split ours from n8n's and charge n8n's time to our caller.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { categorise, packageOf, summariseProfile, type CpuProfile } from '../../scripts/bench/profile';
import { cell, spread } from '../../scripts/bench/stats';

const BUSY = (name: string, ms: number) => `function ${name}() { const end = Date.now() + ${ms}; let x = 0; while (Date.now() < end) x += Math.sqrt(x + 1); return x; }`;

let profile: CpuProfile;
beforeAll(() => {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fanpass-profile-'));
	const modules = path.join(root, 'node_modules');
	const ours = path.join(modules, 'n8n-nodes-fanpass', 'dist', 'nodes', 'FanPass');
	const n8n = path.join(modules, 'n8n-workflow', 'dist');
	fs.mkdirSync(ours, { recursive: true });
	fs.mkdirSync(n8n, { recursive: true });
	fs.writeFileSync(path.join(n8n, 'helpers.js'), `${BUSY('deepCopy', 150)}\nmodule.exports = { deepCopy };\n`);
	fs.writeFileSync(
		path.join(ours, 'FanPass.node.js'),
		`const { deepCopy } = require('../../../../n8n-workflow/dist/helpers.js');\n${BUSY('buildRows', 250)}\nfunction readParameter() { return deepCopy(); }\nclass FanPass { execute() { readParameter(); return buildRows(); } }\nmodule.exports = { FanPass };\n`,
	);
	// n8n's own work before and after the node: outside the window
	const main = `${BUSY('startUp', 150)}\n${BUSY('shutDown', 150)}\nstartUp(); new (require('./node_modules/n8n-nodes-fanpass/dist/nodes/FanPass/FanPass.node.js').FanPass)().execute(); shutDown();\n`;
	fs.writeFileSync(path.join(root, 'main.js'), main);
	const result = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', path.join(root, 'prof'), 'main.js'], { cwd: root, encoding: 'utf8' });
	expect(result.status).toBe(0);
	const [file] = fs.readdirSync(path.join(root, 'prof'));
	profile = JSON.parse(fs.readFileSync(path.join(root, 'prof', file), 'utf8')) as CpuProfile;
	fs.rmSync(root, { recursive: true, force: true });
});

describe('summariseProfile', () => {
	it("windows on the node's execute: start-up and shut-down stay out", () => {
		const summary = summariseProfile(profile);
		expect(summary.windowed).toBe(true);
		const names = summary.topSelf.map((f) => f.name);
		expect(names).toContain('buildRows');
		expect(names).toContain('deepCopy');
		expect(names).not.toContain('startUp');
		expect(names).not.toContain('shutDown');
		expect(summary.windowMs).toBeLessThan(summary.totalMs);
	});

	it("tags our frames and n8n's, and charges n8n's time to the function of ours that called it", () => {
		const summary = summariseProfile(profile);
		const self = Object.fromEntries(summary.topSelf.map((f) => [f.name, f]));
		expect(self.buildRows).toMatchObject({ category: 'ours', where: expect.stringMatching(/^nodes\/FanPass\/FanPass\.node\.js:\d+$/) });
		expect(self.deepCopy).toMatchObject({ category: 'n8n', where: expect.stringMatching(/^n8n-workflow\/dist\/helpers\.js:\d+$/) });
		const charged = Object.fromEntries(summary.byOurFunction.map((f) => [f.name, f]));
		// deepCopy has no frame of ours as its leaf, but readParameter is on its stack
		expect(charged.readParameter?.ms).toBeGreaterThan(0);
		expect(charged.deepCopy).toBeUndefined();
		expect(summary.byCategory.ours).toBeGreaterThan(0);
		expect(summary.byCategory.n8n).toBeGreaterThan(0);
		expect(summary.byPackage.map((p) => p.name)).toEqual(expect.arrayContaining(['n8n-nodes-fanpass', 'n8n-workflow']));
	});

	it('without an execute frame of ours the whole profile is summarised', () => {
		const summary = summariseProfile(profile, { ours: /no-such-package\// });
		expect(summary.windowed).toBe(false);
		expect(summary.topSelf.map((f) => f.name)).toEqual(expect.arrayContaining(['startUp', 'shutDown']));
	});
});

describe('frame packages', () => {
	const frame = (url: string, functionName = 'f') => ({ url, functionName, lineNumber: 0, columnNumber: 0 });
	it.each([
		['file:///u/.n8n/nodes/node_modules/n8n-nodes-fanpass/dist/nodes/FanPass/FanPass.node.js', 'n8n-nodes-fanpass', 'ours'],
		['file:///n8n/node_modules/n8n/node_modules/axios/dist/node/axios.cjs', 'axios', 'packages'],
		['file:///n8n/node_modules/@n8n/expression-runtime/dist/cjs/x.js', '@n8n/expression-runtime', 'n8n'],
		['file:///n8n/node_modules/n8n/dist/credentials-helper.js', 'n8n', 'n8n'],
		['node:net', 'node:net', 'node'],
		['node:internal/crypto/hkdf', 'node:crypto', 'node'],
	])('%s is %s (%s)', (url, pkg, category) => {
		expect(packageOf(frame(url))).toBe(pkg);
		expect(categorise(frame(url))).toBe(category);
	});
	it('GC and idle', () => {
		expect(categorise(frame('', '(garbage collector)'))).toBe('gc');
		expect(categorise(frame('', '(idle)'))).toBe('idle');
	});
});

describe('spread over repeated runs', () => {
	it('median and min-max; one run shows the value alone', () => {
		expect(spread([3, 1, 2, undefined])).toEqual({ median: 2, min: 1, max: 3, n: 3 });
		expect(spread([4, 1, 2, 3])?.median).toBe(2.5);
		expect(spread([undefined])).toBeUndefined();
		const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
		expect(cell([3220, 2900, 3510], s)).toBe('3.22 s (2.90-3.51)');
		expect(cell([3220], s)).toBe('3.22 s');
		expect(cell([], s)).toBe('–');
	});
});
