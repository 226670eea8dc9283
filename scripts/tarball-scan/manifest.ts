import * as fs from 'node:fs';
import * as path from 'node:path';

interface Manifest {
	dependencies?: Record<string, string>;
	n8n?: { nodes?: string[]; credentials?: string[] };
}

/**
 * Problems with the published package.json: n8n installs community packages without their
 * dependencies on n8n Cloud (and the verification programme refuses them), and every node and
 * credential the manifest names must be in the tarball, or n8n fails to load the package.
 */
export function checkManifest(packageDir: string, files: string[]): string[] {
	const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as Manifest;
	const problems: string[] = [];
	const dependencies = Object.keys(manifest.dependencies ?? {});
	if (dependencies.length) problems.push(`package.json has runtime dependencies: ${dependencies.join(', ')}`);
	const declared = [...(manifest.n8n?.nodes ?? []), ...(manifest.n8n?.credentials ?? [])];
	if (!manifest.n8n?.nodes?.length) problems.push('package.json declares no n8n.nodes');
	for (const entry of declared) {
		if (!files.includes(path.posix.normalize(entry))) problems.push(`package.json n8n entry is not in the tarball: ${entry}`);
	}
	return problems;
}
