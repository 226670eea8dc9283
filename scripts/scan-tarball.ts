/**
 * The package scan in `npm test`: n8n's real scanner plus the two things it does not check.
 *
 *   npm run scan                                          after `npm run build`: all of the below
 *   tsx scripts/scan-tarball.ts --dir <package/> [--json]  an extracted tarball only (tarball leg + our checks)
 *   tsx scripts/scan-tarball.ts --source <dir> [--json]    a source checkout only (source leg)
 *
 * 1. n8n's scanner (`@n8n/scan-community-package`, its exported `analyzePackage`) on this checkout
 *    with its SOURCE_FILE_PATTERNS, and on the extracted `npm pack` tarball (`**\/*.js`,
 *    package.json): what `npx @n8n/scan-community-package n8n-nodes-fanpass` runs after
 *    downloading the published package and its provenance-attested source.
 * 2. Our own checks, only what that scanner does not look at (scripts/tarball-scan/): the file
 *    list (only dist/ JavaScript, codex and icons, README, LICENSE, package.json; every node and
 *    credential package.json names is present) and the size, which it prints.
 * Exit code 0 when everything passed, 1 otherwise; every finding is printed.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { scanSource, scanTarballTree, type N8nScanResult } from './tarball-scan/n8nScanner';
import { checkExtractedPackage, type FileReport } from './tarball-scan/scan';

const ROOT = path.resolve(__dirname, '..');

function run(command: string, args: string[], cwd: string): string {
	const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
	return result.stdout;
}

/** `npm pack` into `workDir` and extract it; returns the extracted `package/` dir and the tarball's size. */
function packAndExtract(workDir: string): { packageDir: string; tarball: string; tarballBytes: number } {
	const packed = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', workDir], ROOT)) as Array<{
		filename: string;
	}>;
	const tarball = path.join(workDir, packed[0].filename);
	run('tar', ['-xzf', tarball, '-C', workDir], workDir);
	return { packageDir: path.join(workDir, 'package'), tarball: path.basename(tarball), tarballBytes: fs.statSync(tarball).size };
}

interface Report {
	n8nScanner: N8nScanResult[];
	files?: FileReport;
	tarball?: { name: string; bytes: number };
	passed: boolean;
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

function print(report: Report) {
	for (const leg of report.n8nScanner) {
		console.log(`n8n scanner (@n8n/scan-community-package), ${leg.leg}: ${leg.passed ? 'passed' : `FAILED: ${leg.message ?? ''}`}`);
		if (!leg.passed && leg.details) console.log(leg.details.trimEnd());
	}
	const files = report.files;
	if (files) {
		if (report.tarball) console.log(`Tarball ${report.tarball.name}: ${kB(report.tarball.bytes)} packed, ${kB(files.unpackedBytes)} unpacked, ${files.fileCount} files`);
		else console.log(`Package tree: ${kB(files.unpackedBytes)}, ${files.fileCount} files`);
		for (const problem of files.fileProblems) console.log(`  FAIL files: ${problem}`);
		for (const problem of files.manifestProblems) console.log(`  FAIL manifest: ${problem}`);
		console.log(`File list: ${files.passed ? 'passed' : 'FAILED'}`);
	}
	console.log(report.passed ? 'Package scan passed' : 'Package scan FAILED');
}

async function main() {
	const args = process.argv.slice(2);
	const option = (name: string) => (args.includes(name) ? path.resolve(args[args.indexOf(name) + 1]) : undefined);
	const dir = option('--dir');
	const source = option('--source');
	const report: Report = { n8nScanner: [], passed: false };
	if (source) {
		report.n8nScanner.push(await scanSource(source));
	} else if (dir) {
		report.n8nScanner.push(await scanTarballTree(dir));
		report.files = checkExtractedPackage(dir);
	} else {
		report.n8nScanner.push(await scanSource(ROOT));
		const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fanpass-scan-'));
		try {
			const packed = packAndExtract(workDir);
			report.tarball = { name: packed.tarball, bytes: packed.tarballBytes };
			report.n8nScanner.push(await scanTarballTree(packed.packageDir));
			report.files = checkExtractedPackage(packed.packageDir);
		} finally {
			fs.rmSync(workDir, { recursive: true, force: true });
		}
	}
	report.passed = report.n8nScanner.every((leg) => leg.passed) && (report.files?.passed ?? true);
	if (args.includes('--json')) console.log(JSON.stringify(report));
	else print(report);
	process.exitCode = report.passed ? 0 : 1;
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exitCode = 1;
});
