import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** What n8n's scanner (`@n8n/scan-community-package`) reports for one leg of a scan. */
export interface N8nScanResult {
	/** Which leg: the source checkout or the extracted tarball. */
	leg: 'source' | 'tarball';
	passed: boolean;
	message?: string;
	/** ESLint's stylish report of every finding, as the scanner prints it. */
	details?: string;
}

interface ScannerModule {
	analyzePackage(dir: string, patterns?: string[]): Promise<{ passed: boolean; message?: string; details?: string }>;
	SOURCE_FILE_PATTERNS: string[];
}

async function loadScanner(): Promise<ScannerModule> {
	// The community-nodes plugin picks the AST shape it expects for package.json from NODE_ENV at
	// load time; with NODE_ENV=test (jest, and the processes it spawns) its package.json rules match nothing.
	if (process.env.NODE_ENV === 'test') delete process.env.NODE_ENV;
	const entry = path.join(require.resolve('@n8n/scan-community-package/package.json'), '..', 'scanner', 'scanner.mjs');
	return (await import(pathToFileURL(entry).href)) as ScannerModule;
}

/**
 * Runs n8n's own scanner the way `npx @n8n/scan-community-package <name>` does after downloading:
 * `analyzePackage` on the source checkout with its SOURCE_FILE_PATTERNS (package.json and
 * nodes/ and credentials/ sources), and on the extracted tarball with `**\/*.js` and package.json.
 */
export async function scanSource(sourceDir: string): Promise<N8nScanResult> {
	const scanner = await loadScanner();
	return { leg: 'source', ...(await scanner.analyzePackage(sourceDir, scanner.SOURCE_FILE_PATTERNS)) };
}

export async function scanTarballTree(packageDir: string): Promise<N8nScanResult> {
	const scanner = await loadScanner();
	return { leg: 'tarball', ...(await scanner.analyzePackage(packageDir, ['**/*.js', 'package.json'])) };
}
