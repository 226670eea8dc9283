import * as fs from 'node:fs';
import * as path from 'node:path';

import { checkFileList, listFiles } from './files';
import { lintPackage, type LintFinding } from './lint';
import { checkManifest } from './manifest';

export interface ScanReport {
	files: string[];
	fileCount: number;
	/** Sum of the extracted files' sizes, in bytes. */
	unpackedBytes: number;
	fileProblems: string[];
	manifestProblems: string[];
	lint: LintFinding[];
	passed: boolean;
}

/** Scans an extracted tarball (the `package/` directory npm pack produces). */
export async function scanExtractedPackage(packageDir: string): Promise<ScanReport> {
	const files = listFiles(packageDir);
	const fileProblems = checkFileList(files);
	const manifestProblems = fs.existsSync(path.join(packageDir, 'package.json')) ? checkManifest(packageDir, files) : [];
	const lint = await lintPackage(packageDir);
	const unpackedBytes = files.reduce((sum, file) => sum + fs.statSync(path.join(packageDir, file)).size, 0);
	// Warnings fail too: the verification programme asks for zero warnings.
	const passed = fileProblems.length === 0 && manifestProblems.length === 0 && lint.length === 0;
	return { files, fileCount: files.length, unpackedBytes, fileProblems, manifestProblems, lint, passed };
}
