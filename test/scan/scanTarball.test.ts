import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const SCAN = path.join(ROOT, 'scripts', 'scan-tarball.ts');

interface Report {
	passed: boolean;
	n8nScanner: Array<{ leg: string; passed: boolean; message?: string; details?: string }>;
	files?: { fileCount: number; fileProblems: string[]; manifestProblems: string[]; passed: boolean };
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

function scan(dir: string, mode: '--dir' | '--source' = '--dir'): Report {
	const result = spawnSync(TSX, [SCAN, mode, dir, '--json'], { cwd: ROOT, encoding: 'utf8' });
	const report = JSON.parse(result.stdout) as Report;
	expect(result.status).toBe(report.passed ? 0 : 1);
	return report;
}

describe('scripts/scan-tarball.ts (n8n\'s scanner + file list) on an extracted package tree', () => {
	let dir: string;
	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fanpass-scan-test-'));
	});
	afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

	it('passes a clean tree', () => {
		writeCleanTree(dir);
		const report = scan(dir);
		expect(report).toMatchObject({
			passed: true,
			n8nScanner: [{ leg: 'tarball', passed: true }],
			files: { fileCount: 7, fileProblems: [], manifestProblems: [], passed: true },
		});
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
		expect(report.files?.fileProblems).toEqual(
			expect.arrayContaining([
				'missing LICENSE',
				'unexpected file outside dist/: sandbox/server.js',
				'test, sandbox, source or source map file in dist/: dist/nodes/FanPass/FanPass.node.js.map',
				'test, sandbox, source or source map file in dist/: dist/nodes/FanPass/FanPass.node.d.ts',
				'test, sandbox, source or source map file in dist/: dist/test/upsert.test.js',
			]),
		);
		// n8n's own scanner finds what it checks: globals, imports, runtime dependencies, keywords
		const [tarballLeg] = report.n8nScanner;
		expect(tarballLeg).toMatchObject({ leg: 'tarball', passed: false, message: 'ESLint violations found' });
		const details = tarballLeg.details?.replace(/\x1b\[[0-9;]*m/g, '') ?? '';
		expect(details).toContain('helpers/leak.js');
		expect(details).toContain("Use of restricted global 'process' is not allowed");
		expect(details).toContain("Use of restricted global 'setTimeout' is not allowed");
		for (const rule of [
			'@n8n/community-nodes/no-restricted-globals',
			'@n8n/community-nodes/no-restricted-imports',
			'@n8n/community-nodes/no-runtime-dependencies',
			'n8n-nodes-base/community-package-json-keywords-without-official-tag',
		]) {
			expect(details).toContain(rule);
		}
	});

	it("runs the scanner's source leg on nodes/ and credentials/ sources", () => {
		const write = (file: string, text: string) => {
			fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
			fs.writeFileSync(path.join(dir, file), text);
		};
		fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
		write('nodes/Leak/Leak.node.ts', 'export const token = process.env.FANPASS_TOKEN;\n');
		// outside nodes/ and credentials/: not part of what n8n scans
		write('test/helper.ts', 'export const cwd = process.cwd();\n');
		const report = scan(dir, '--source');
		expect(report.passed).toBe(false);
		const details = report.n8nScanner[0].details?.replace(/\x1b\[[0-9;]*m/g, '') ?? '';
		expect(details).toContain('nodes/Leak/Leak.node.ts');
		expect(details).toContain('@n8n/community-nodes/no-restricted-globals');
		expect(details).not.toContain('test/helper.ts');
	});
});
