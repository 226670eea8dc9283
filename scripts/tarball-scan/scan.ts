import * as fs from 'node:fs';
import * as path from 'node:path';

import { checkFileList, listFiles } from './files';
import { checkManifest } from './manifest';

/** The checks n8n's scanner does not make: which files the tarball holds, and its size. */
export interface FileReport {
	files: string[];
	fileCount: number;
	/** Sum of the extracted files' sizes, in bytes. */
	unpackedBytes: number;
	fileProblems: string[];
	manifestProblems: string[];
	passed: boolean;
}

/** Checks an extracted tarball (the `package/` directory npm pack produces). */
export function checkExtractedPackage(packageDir: string): FileReport {
	const files = listFiles(packageDir);
	const fileProblems = checkFileList(files);
	const manifestProblems = fs.existsSync(path.join(packageDir, 'package.json')) ? checkManifest(packageDir, files) : [];
	const unpackedBytes = files.reduce((sum, file) => sum + fs.statSync(path.join(packageDir, file)).size, 0);
	const passed = fileProblems.length === 0 && manifestProblems.length === 0;
	return { files, fileCount: files.length, unpackedBytes, fileProblems, manifestProblems, passed };
}
