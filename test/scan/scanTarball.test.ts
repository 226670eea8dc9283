import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const SCAN = path.join(ROOT, 'scripts', 'scan-tarball.ts');

interface Report {
	passed: boolean;
	fileCount: number;
	fileProblems: string[];
	manifestProblems: string[];
	lint: Array<{ file: string; rule: string; message: string }>;
}

const NODE_JS = `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.FanPass = void 0;
const n8n_workflow_1 = require("n8n-workflow");
class FanPass {
    async execute() {
        return [this.getInputData().map((item, index) => ({ json: item.json, pairedItem: { item: index } }))];
    }
}
exports.FanPass = FanPass;
void n8n_workflow_1;
`;
const CREDENTIAL_JS = `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.FanPassApi = void 0;
class FanPassApi {
}
exports.FanPassApi = FanPassApi;
`;

/** A tree shaped like the extracted tarball (`package/`), with this repo's real package.json. */
function writeCleanTree(dir: string) {
	const write = (file: string, text: string) => {
		fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
		fs.writeFileSync(path.join(dir, file), text);
	};
	fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
	write('README.md', '# n8n-nodes-fanpass\n');
	write('LICENSE', 'MIT\n');
	write('dist/nodes/FanPass/FanPass.node.js', NODE_JS);
	write('dist/nodes/FanPass/FanPass.node.json', '{}');
	write('dist/credentials/FanPassApi.credentials.js', CREDENTIAL_JS);
	write('dist/icons/fanpass.svg', '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>');
	return write;
}

function scan(dir: string): Report {
	const result = spawnSync(TSX, [SCAN, '--dir', dir, '--json'], { cwd: ROOT, encoding: 'utf8' });
	const report = JSON.parse(result.stdout) as Report;
	expect(result.status).toBe(report.passed ? 0 : 1);
	return report;
}

describe('scripts/scan-tarball.ts on an extracted package tree', () => {
	let dir: string;
	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fanpass-scan-test-'));
	});
	afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

	it('passes a clean tree', () => {
		writeCleanTree(dir);
		const report = scan(dir);
		expect(report).toMatchObject({ passed: true, fileProblems: [], manifestProblems: [], lint: [] });
		expect(report.fileCount).toBe(7);
	});

	it('fails a tampered tree and names every problem', () => {
		const write = writeCleanTree(dir);
		write(
			'dist/nodes/FanPass/helpers/leak.js',
			[
				'"use strict";',
				'const fs = require("fs");',
				'const busboy = require("busboy");',
				'exports.token = process.env.FANPASS_TOKEN;',
				'exports.later = () => setTimeout(() => fs.readFileSync("/etc/passwd"), 10);',
				'exports.parse = busboy;',
			].join('\n'),
		);
		write('dist/nodes/FanPass/FanPass.node.js.map', '{}');
		write('dist/nodes/FanPass/FanPass.node.d.ts', 'export {};');
		write('dist/test/upsert.test.js', '"use strict";');
		write('sandbox/server.js', '"use strict";');
		const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
		const keywords = (manifest.keywords as string[]).filter((keyword) => keyword !== 'n8n-community-node-package');
		write('package.json', JSON.stringify({ ...manifest, keywords, dependencies: { busboy: '^1.6.0' } }, null, 2));
		fs.rmSync(path.join(dir, 'LICENSE'));

		const report = scan(dir);
		expect(report.passed).toBe(false);
		expect(report.fileProblems).toEqual(
			expect.arrayContaining([
				'missing LICENSE',
				'unexpected file outside dist/: sandbox/server.js',
				'test, sandbox, source or source map file in dist/: dist/nodes/FanPass/FanPass.node.js.map',
				'test, sandbox, source or source map file in dist/: dist/nodes/FanPass/FanPass.node.d.ts',
				'test, sandbox, source or source map file in dist/: dist/test/upsert.test.js',
			]),
		);
		expect(report.manifestProblems).toContain('package.json has runtime dependencies: busboy');

		const leak = report.lint.filter((finding) => finding.file === 'dist/nodes/FanPass/helpers/leak.js');
		const byRule = (rule: string) => leak.filter((finding) => finding.rule === rule).map((finding) => finding.message);
		expect(byRule('@n8n/community-nodes/no-restricted-globals')).toEqual([
			"Use of restricted global 'process' is not allowed",
			"Use of restricted global 'setTimeout' is not allowed. Use the 'sleep' helper from 'n8n-workflow' instead.",
		]);
		expect(byRule('@n8n/community-nodes/no-restricted-imports')).toEqual([expect.stringContaining("Require of 'fs'")]);
		// busboy passes n8n's rule (it is a devDependency) but would not be installed next to the node.
		expect(byRule('tarball/runtime-imports')).toEqual([
			expect.stringContaining("'fs' is not available"),
			expect.stringContaining("'busboy' is not available"),
		]);
		const manifestRules = report.lint.filter((finding) => finding.file === 'package.json').map((finding) => finding.rule);
		expect(manifestRules).toEqual(
			expect.arrayContaining(['@n8n/community-nodes/no-runtime-dependencies', 'n8n-nodes-base/community-package-json-keywords-without-official-tag']),
		);
	});
});
