/**
 * The file-reading example reads from the folder n8n allows file access to. Its JSON names n8n's Docker
 * default (/home/node/.n8n-files); the n8n runtime tools copy examples/files/ into a scratch folder, point the
 * workflow there, and give n8n that folder as N8N_RESTRICT_FILE_ACCESS_TO.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WorkflowJson } from './n8nCli';
import { ROOT } from './processes';

export const EXAMPLE_FILES_DIR_IN_JSON = '/home/node/.n8n-files';

/** Copies examples/files/* into <userFolder>/files (outside <userFolder>/.n8n, which n8n blocks) and returns that folder. */
export function stageExampleFiles(userFolder: string): string {
	fs.mkdirSync(path.join(userFolder, 'files'), { recursive: true });
	// n8n compares real paths: a symlinked .cache would otherwise put the file "outside" the allowed folder
	const target = fs.realpathSync(path.join(userFolder, 'files'));
	const source = path.join(ROOT, 'examples', 'files');
	for (const file of fs.readdirSync(source)) fs.copyFileSync(path.join(source, file), path.join(target, file));
	return target;
}

/** Returns copies of the workflows whose Read/Write Files nodes read from filesDir instead of the Docker default. */
export function pointAtFiles(workflows: WorkflowJson[], filesDir: string): WorkflowJson[] {
	return workflows.map((workflow) => {
		const copy = JSON.parse(JSON.stringify(workflow)) as WorkflowJson;
		for (const node of copy.nodes) {
			const selector = node.parameters?.fileSelector;
			if (node.type === 'n8n-nodes-base.readWriteFile' && typeof selector === 'string' && selector.startsWith(`${EXAMPLE_FILES_DIR_IN_JSON}/`)) {
				(node.parameters as Record<string, unknown>).fileSelector = path.join(filesDir, selector.slice(EXAMPLE_FILES_DIR_IN_JSON.length + 1));
			}
		}
		return copy;
	});
}

/** Environment for n8n: file access only to filesDir, binary data on disk. */
export function fileAccessEnv(filesDir: string): NodeJS.ProcessEnv {
	return { N8N_RESTRICT_FILE_ACCESS_TO: filesDir, N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem' };
}
