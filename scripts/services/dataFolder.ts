/**
 * Data of the private Redis and PostgreSQL instances lives in .cache/services/<label>-<pid>/ (git-ignored,
 * one folder per process: several checkouts may share the cache), removed when they stop. Folders left by a
 * process that no longer runs (killed with SIGKILL) are removed by the next start.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../n8n-runtime/processes';

export const SERVICES_DIR = path.join(ROOT, '.cache', 'services');

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Removes the folders of processes that are gone; returns their names. */
export function cleanStaleFolders(): string[] {
	if (!fs.existsSync(SERVICES_DIR)) return [];
	const removed: string[] = [];
	for (const name of fs.readdirSync(SERVICES_DIR)) {
		const pid = Number(/-(\d+)$/.exec(name)?.[1]);
		if (!Number.isInteger(pid) || isAlive(pid)) continue;
		fs.rmSync(path.join(SERVICES_DIR, name), { recursive: true, force: true });
		removed.push(name);
	}
	return removed;
}

/** A fresh, empty folder for one service of this process. */
export function serviceFolder(service: string): string {
	cleanStaleFolders();
	const folder = path.join(SERVICES_DIR, `${service}-${process.pid}`);
	fs.rmSync(folder, { recursive: true, force: true });
	fs.mkdirSync(folder, { recursive: true });
	return folder;
}
