/**
 * Debian's chromium (scripts/browser/install.sh), driven by playwright-core: Playwright never downloads
 * a browser here. CHROMIUM_PATH overrides the binary.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { chromium, selectors, type Browser } from 'playwright-core';

/** Flags for a headless browser in a container: no GPU, no setuid sandbox (CI runs as root), /tmp instead of a small /dev/shm. */
export const CHROMIUM_FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'];

export function chromiumPath(): string {
	const fromEnv = process.env.CHROMIUM_PATH;
	if (fromEnv) return fromEnv;
	const which = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' });
	const found = which.status === 0 ? which.stdout.trim() : '';
	if (found) return found;
	if (fs.existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
	throw new Error('chromium not found: run `bash scripts/browser/install.sh` (or set CHROMIUM_PATH)');
}

export async function launchChromium(): Promise<Browser> {
	// n8n's editor marks its elements with data-test-id (not Playwright's default data-testid)
	selectors.setTestIdAttribute('data-test-id');
	return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_FLAGS });
}
