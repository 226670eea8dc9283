/**
 * The n8n versions the repo tests, pinned in one file (n8n-versions.json, which scripts/n8n/install.sh reads
 * too). Every script and suite takes its default from here; each keeps its documented env override
 * (N8N_E2E_VERSIONS, N8N_BROWSER_VERSIONS, N8N_DEMO_VERSION, N8N_DEV_VERSION, N8N_QUEUE_VERSIONS, …).
 */
import pinned from './n8n-versions.json';

/** The newest n8n that installs from the registry and that every suite runs on. */
export const N8N_LATEST: string = pinned.latest;
/** The newest n8n 1.x that installs here, for users who have not moved to 2.x. */
export const N8N_V1: string = pinned.v1;
/** Every version the multi-version suites (e2e, browser) run by default, newest first. */
export const TESTED_N8N_VERSIONS: readonly string[] = [N8N_LATEST, N8N_V1];

const splitList = (raw: string | undefined): string[] => (raw ?? '').split(/[\s,]+/).filter(Boolean);

/** The versions named by the first of `names` that is set (comma or space separated), else `fallback`. */
export function versionsFromEnv(names: string[], fallback: readonly string[] = TESTED_N8N_VERSIONS, env: NodeJS.ProcessEnv = process.env): string[] {
	for (const name of names) {
		const list = splitList(env[name]);
		if (list.length) return list;
	}
	return [...fallback];
}

/** One version: the env variable `name` when set, else `fallback` (the latest). */
export function versionFromEnv(name: string, fallback: string = N8N_LATEST, env: NodeJS.ProcessEnv = process.env): string {
	return env[name]?.trim() || fallback;
}
