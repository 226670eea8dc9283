/**
 * An n8n user folder ready to use: the packed package installed as a community package, the example
 * files staged, the "FanPass Sandbox" credential (pointing at the given sandbox) and the examples imported.
 * Shared by `npm run demo` and `npm run dev`.
 */
import * as path from 'node:path';
import { fileAccessEnv, pointAtFiles, stageExampleFiles } from './exampleFiles';
import { N8nCli, readWorkflows, type CredentialImport, type WorkflowJson } from './n8nCli';
import type { N8nInstall } from './n8nInstall';
import { installTarball } from './packageTarball';
import { ROOT } from './processes';
import { SANDBOX_TOKEN } from './sandboxProcess';

/** The id and name the examples' FanPass nodes refer to (examples/credentials/fanpass-sandbox.json). */
export const EXAMPLE_CREDENTIAL = { id: 'fanpass-sandbox', name: 'FanPass Sandbox' };

export interface PreparedInstance {
	cli: N8nCli;
	/** environment for every n8n process on this folder (file access, binary mode) */
	env: NodeJS.ProcessEnv;
	filesDir: string;
	workflows: WorkflowJson[];
}

export interface PrepareOptions {
	/** more environment for n8n (e.g. queue mode's database and Redis), over fileAccessEnv() */
	env?: NodeJS.ProcessEnv;
	/** more workflows to import next to the examples (pointed at the files folder too) */
	extraWorkflows?: WorkflowJson[];
	/** more credentials to import with the example's (in the same import) */
	extraCredentials?: CredentialImport[];
}

export async function prepareInstance(install: N8nInstall, userFolder: string, tarball: string, sandboxUrl: string, verbose = false, options: PrepareOptions = {}): Promise<PreparedInstance> {
	installTarball(tarball, userFolder, install.node24BinDir);
	const filesDir = stageExampleFiles(userFolder);
	const env = { ...fileAccessEnv(filesDir), ...options.env };
	const cli = new N8nCli(install, userFolder, { env, verbose });
	const credentials = await cli.importCredentials([{ ...EXAMPLE_CREDENTIAL, type: 'fanPassApi', data: { apiToken: SANDBOX_TOKEN, baseUrl: sandboxUrl } }, ...(options.extraCredentials ?? [])]);
	if (credentials.code !== 0) throw new Error(`n8n import:credentials failed:\n${credentials.stderr || credentials.stdout}`);
	const workflows = pointAtFiles([...readWorkflows(path.join(ROOT, 'examples')), ...(options.extraWorkflows ?? [])], filesDir);
	const imported = await cli.importWorkflows(workflows);
	if (imported.code !== 0) throw new Error(`n8n import:workflow failed:\n${imported.stderr || imported.stdout}`);
	return { cli, env, filesDir, workflows };
}
