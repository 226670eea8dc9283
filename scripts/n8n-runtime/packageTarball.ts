/**
 * The package under test is the real artifact: `npm pack`, then installed into <userFolder>/.n8n/nodes the
 * way n8n installs a community package, so that its node type is `n8n-nodes-fanpass.fanPass`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, runOrThrow } from './processes';

export const PACKAGE_NAME = 'n8n-nodes-fanpass';

export interface Tarball {
	file: string;
	fileCount: number;
}

/**
 * `npm run build` (unless skipBuild) and `npm pack` into .cache/e2e/pack-<pid>/ (one folder per process:
 * the cache may be shared by several checkouts running at once), removed when this process exits.
 */
export function buildAndPack(options: { skipBuild?: boolean } = {}): Tarball {
	if (!options.skipBuild) runOrThrow('npm run build', 'npm', ['run', 'build', '--silent']);
	const packDir = path.join(ROOT, '.cache', 'e2e', `pack-${process.pid}`);
	fs.rmSync(packDir, { recursive: true, force: true });
	fs.mkdirSync(packDir, { recursive: true });
	process.once('exit', () => fs.rmSync(packDir, { recursive: true, force: true }));
	const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', packDir], { cwd: ROOT, encoding: 'utf8' });
	if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
	const info = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
	return { file: path.join(packDir, info[0].filename), fileCount: info[0].files.length };
}

/**
 * Same steps as n8n's CommunityPackagesService.downloadPackage(), with our tarball in place of
 * `npm pack <name>@<version>`: unpack into nodes/node_modules/<name>, drop dev/peer/optional dependencies
 * from its package.json, `npm install` there with n8n's flags, record it in nodes/package.json.
 * Returns the installed package folder.
 */
export function installTarball(tarball: string, userFolder: string, node24BinDir: string): string {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const packageDir = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	fs.rmSync(packageDir, { recursive: true, force: true });
	fs.mkdirSync(packageDir, { recursive: true });
	runOrThrow('unpack tarball', 'tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);
	const manifestPath = path.join(packageDir, 'package.json');
	const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
	delete manifest.devDependencies;
	delete manifest.peerDependencies;
	delete manifest.optionalDependencies;
	fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
	runOrThrow(
		'npm install (n8n flags) in the package folder',
		'npm',
		['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false', '--loglevel=error'],
		{ cwd: packageDir, env: { ...process.env, PATH: `${node24BinDir}${path.delimiter}${process.env.PATH ?? ''}` } },
	);
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [String(manifest.name)]: String(manifest.version) } }, null, 2),
	);
	return packageDir;
}

/** A fresh, empty N8N_USER_FOLDER under .cache/e2e/. */
export function scratchUserFolder(label: string): string {
	const folder = path.join(ROOT, '.cache', 'e2e', `${label}-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`);
	fs.mkdirSync(folder, { recursive: true });
	return folder;
}
