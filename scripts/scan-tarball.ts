/**
 * Packs this package the way `npm publish` would and checks what users would install:
 *
 *   npm run scan                      pack, extract, scan, print size and file count
 *   tsx scripts/scan-tarball.ts --dir <extracted package/> [--json]   scan a tree that is already extracted
 *
 * Checks: the file list (package.json, README.md, LICENSE, dist/** only), no runtime dependencies,
 * and ESLint on every .js file and package.json with the rules n8n's community package scanner
 * applies. Run after `npm run build`. Exit code 0 when everything passed, 1 otherwise.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { scanExtractedPackage, type ScanReport } from './tarball-scan/scan';

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

const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

function print(report: ScanReport, tarball?: { name: string; bytes: number }) {
	if (tarball) console.log(`Tarball ${tarball.name}: ${kB(tarball.bytes)} packed, ${kB(report.unpackedBytes)} unpacked, ${report.fileCount} files`);
	else console.log(`Package tree: ${kB(report.unpackedBytes)}, ${report.fileCount} files`);
	for (const problem of report.fileProblems) console.log(`  FAIL files: ${problem}`);
	for (const problem of report.manifestProblems) console.log(`  FAIL manifest: ${problem}`);
	for (const finding of report.lint) {
		console.log(`  FAIL lint ${finding.severity}: ${finding.file}:${finding.line}:${finding.column} ${finding.message} (${finding.rule})`);
	}
	console.log(report.passed ? 'Tarball scan passed' : 'Tarball scan FAILED');
}

async function main() {
	const args = process.argv.slice(2);
	const dirIndex = args.indexOf('--dir');
	const json = args.includes('--json');
	let report: ScanReport;
	let tarball: { name: string; bytes: number } | undefined;
	if (dirIndex >= 0) {
		report = await scanExtractedPackage(path.resolve(args[dirIndex + 1]));
	} else {
		const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fanpass-scan-'));
		try {
			const packed = packAndExtract(workDir);
			tarball = { name: packed.tarball, bytes: packed.tarballBytes };
			report = await scanExtractedPackage(packed.packageDir);
		} finally {
			fs.rmSync(workDir, { recursive: true, force: true });
		}
	}
	if (json) console.log(JSON.stringify({ ...report, tarball }));
	else print(report, tarball);
	process.exitCode = report.passed ? 0 : 1;
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exitCode = 1;
});
