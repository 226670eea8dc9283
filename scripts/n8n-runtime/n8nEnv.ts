/** The environment every n8n process of the n8n runtime tools runs with (CLI commands and the server alike). */
import * as path from 'node:path';
import type { N8nInstall } from './n8nInstall';

/** Scratch-only: every user folder of the n8n runtime tools is created fresh and thrown away. */
export const SCRATCH_ENCRYPTION_KEY = 'fanpass-e2e-scratch-encryption-key';

export function n8nEnv(install: Pick<N8nInstall, 'node24BinDir'>, userFolder: string, runnerBrokerPort: number, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	return {
		...process.env,
		PATH: `${install.node24BinDir}${path.delimiter}${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: SCRATCH_ENCRYPTION_KEY,
		DB_TYPE: 'sqlite',
		DB_SQLITE_POOL_SIZE: '2',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_RUNNERS_ENABLED: 'true', // Code nodes run in n8n's JS task runner, as in production (always on in 2.x)
		N8N_RUNNERS_BROKER_PORT: String(runnerBrokerPort), // the default 5679 would clash with another n8n
		N8N_PYTHON_ENABLED: 'false',
		N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_LOG_LEVEL: 'info', // n8n 2.x prints `execute --rawOutput` through its logger at info
		N8N_LOG_OUTPUT: 'console',
		N8N_NO_COLOR: 'true',
		NO_COLOR: '1',
		...extra,
	};
}
