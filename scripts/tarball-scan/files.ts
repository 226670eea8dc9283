import * as fs from 'node:fs';
import * as path from 'node:path';

/** Top-level files the tarball must hold besides dist/. npm always adds package.json; README and LICENSE are what users read. */
export const REQUIRED_TOP_LEVEL = ['package.json', 'README.md', 'LICENSE'];

/**
 * What may live under dist/: compiled JavaScript, the codex (*.node.json) and the SVG icons.
 * No .ts (not even .d.ts: n8n loads the compiled .js only and this package has no typed API for
 * anyone to import), no source maps (they would embed the TypeScript source), and no package.json
 * copy (a second manifest under dist/ would be found first by tools that walk up from a file).
 */
const DIST_FILE = /^dist\/(?:.+\.js|nodes\/.+\.node\.json|icons\/[\w.-]+\.svg)$/;
const NOT_SHIPPED = /(?:^|\/)(?:test|tests|__tests__|sandbox|fixtures)\/|\.test\.js$|\.spec\.js$|\.map$|\.ts$/;

/** Every file under `root`, as POSIX paths relative to it, sorted. */
export function listFiles(root: string): string[] {
	const found: string[] = [];
	const walk = (dir: string) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(full);
			else found.push(path.relative(root, full).split(path.sep).join('/'));
		}
	};
	walk(root);
	return found.sort();
}

/** Problems with the set of files in an extracted package (paths relative to `package/`). */
export function checkFileList(files: string[]): string[] {
	const problems: string[] = [];
	for (const required of REQUIRED_TOP_LEVEL) {
		if (!files.includes(required)) problems.push(`missing ${required}`);
	}
	for (const file of files) {
		if (REQUIRED_TOP_LEVEL.includes(file)) continue;
		if (!file.startsWith('dist/')) problems.push(`unexpected file outside dist/: ${file}`);
		else if (NOT_SHIPPED.test(file)) problems.push(`test, sandbox, source or source map file in dist/: ${file}`);
		else if (!DIST_FILE.test(file)) problems.push(`unexpected file in dist/: ${file}`);
	}
	if (!files.some((file) => file.endsWith('.node.js'))) problems.push('no *.node.js under dist/');
	return problems;
}
