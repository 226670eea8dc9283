/** Debian's redis-server and postgresql, installed when missing (install.sh), once per process, before either is started. */
import * as path from 'node:path';
import { ROOT, runOrThrow } from '../n8n-runtime/processes';

let installed = false;

export function ensureServicesInstalled(): void {
	if (installed) return;
	runOrThrow('install redis-server and postgresql', 'bash', [path.join(ROOT, 'scripts', 'services', 'install.sh')]);
	installed = true;
}
