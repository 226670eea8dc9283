import * as fs from 'node:fs';
import * as path from 'node:path';

interface Manifest {
	n8n?: { nodes?: string[]; credentials?: string[] };
}

/**
 * Every node and credential package.json's `n8n` section names must be in the tarball, or n8n
 * fails to load the package. (Runtime dependencies and the other package.json rules are n8n's
 * scanner's job.)
 */
export function checkManifest(packageDir: string, files: string[]): string[] {
	const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as Manifest;
	const problems: string[] = [];
	const declared = [...(manifest.n8n?.nodes ?? []), ...(manifest.n8n?.credentials ?? [])];
	if (!manifest.n8n?.nodes?.length) problems.push('package.json declares no n8n.nodes');
	for (const entry of declared) {
		if (!files.includes(path.posix.normalize(entry))) problems.push(`package.json n8n entry is not in the tarball: ${entry}`);
	}
	return problems;
}
