/** n8n's CLI on a user folder: import:credentials, import:workflow, execute --id --rawOutput (parsed). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { N8nInstall } from './n8nInstall';
import { n8nEnv } from './n8nEnv';
import { freePort, run, secs, type RunResult } from './processes';

export interface CredentialImport {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface WorkflowJson {
	id: string;
	name: string;
	nodes: Array<{ name: string; type: string; parameters?: Record<string, unknown>; credentials?: Record<string, { id: string; name: string }>; [key: string]: unknown }>;
	[key: string]: unknown;
}

export interface NodeItem {
	json: Record<string, unknown>;
	binary?: Record<string, unknown>;
	error?: unknown;
}

export interface ExecutionError {
	message?: string;
	description?: string;
	node?: string | { name?: string };
	httpCode?: string;
}

export interface Execution {
	result: RunResult;
	/** the parsed --rawOutput JSON, if any */
	data?: Record<string, unknown>;
	/** runData[node][last run].data.main[0] for each node that ran */
	nodeOutput: Record<string, NodeItem[]>;
	/** runData[node][last run].data.main (every output: for "continue (using error output)", [1] is the error output) */
	nodeOutputs: Record<string, NodeItem[][]>;
	error?: ExecutionError;
	/** stdout + stderr, secrets redacted */
	text: string;
}

/**
 * n8n prints --rawOutput as JSON.stringify(run, null, 2) between other log lines (2.x through its logger,
 * 1.x on the console): a line "{" up to the next line "}". A failed execution prints the same JSON after
 * "Execution error:". Returns the last such block.
 */
export function parseRawOutput(stdout: string): Record<string, unknown> | undefined {
	const lines = stdout.split('\n').map((line) => line.replace(/\r$/, ''));
	let found: Record<string, unknown> | undefined;
	for (let start = 0; start < lines.length; start++) {
		if (lines[start] !== '{') continue;
		const end = lines.indexOf('}', start + 1);
		if (end < 0) break;
		try {
			found = JSON.parse(lines.slice(start, end + 1).join('\n')) as Record<string, unknown>;
		} catch {
			/* not JSON after all */
		}
		start = end;
	}
	return found;
}

export function executionFrom(result: RunResult, redact: (text: string) => string = (t) => t): Execution {
	const data = parseRawOutput(result.stdout);
	const nodeOutput: Record<string, NodeItem[]> = {};
	const nodeOutputs: Record<string, NodeItem[][]> = {};
	// --rawOutput prints the IRun's data ({ resultData: { runData, error, ... } }), or the whole IRun.
	const resultData = ((data?.data as Record<string, unknown> | undefined)?.resultData ?? data?.resultData) as
		| { runData?: Record<string, Array<{ data?: { main?: Array<NodeItem[] | null> } }>>; error?: ExecutionError }
		| undefined;
	for (const [node, runs] of Object.entries(resultData?.runData ?? {})) {
		const main = (runs[runs.length - 1]?.data?.main ?? []).map((output) => output ?? []);
		nodeOutputs[node] = main;
		nodeOutput[node] = main[0] ?? [];
	}
	return { result, data, nodeOutput, nodeOutputs, error: resultData?.error, text: redact(`${result.stdout}\n${result.stderr}`) };
}

export interface N8nCliOptions {
	/** extra environment (e.g. N8N_RESTRICT_FILE_ACCESS_TO) */
	env?: NodeJS.ProcessEnv;
	/** strings never to print (tokens) */
	secrets?: string[];
	/** print every command's full output */
	verbose?: boolean;
}

export class N8nCli {
	constructor(
		readonly install: N8nInstall,
		readonly userFolder: string,
		readonly options: N8nCliOptions = {},
	) {}

	redact = (text: string): string => (this.options.secrets ?? []).reduce((out, secret) => (secret ? out.split(secret).join('<secret>') : out), text);

	async run(args: string[], timeoutMs = 240_000): Promise<RunResult> {
		const env = n8nEnv(this.install, this.userFolder, await freePort(), this.options.env);
		const result = await run(this.install.n8nBin, args, { env, timeoutMs });
		if (this.options.verbose) {
			console.log(`\n$ n8n ${args.join(' ')}  (exit ${result.code}, ${secs(result.ms)})`);
			console.log(this.redact(result.stdout));
			console.log(this.redact(result.stderr));
		}
		return result;
	}

	/** Imports credentials through a file readable only by us, deleted right after. */
	async importCredentials(credentials: CredentialImport[]): Promise<RunResult> {
		const file = path.join(this.userFolder, 'credentials.import.json');
		fs.writeFileSync(file, JSON.stringify(credentials), { mode: 0o600 });
		try {
			return await this.run(['import:credentials', `--input=${file}`]);
		} finally {
			fs.rmSync(file, { force: true });
		}
	}

	async importWorkflows(workflows: WorkflowJson[]): Promise<RunResult> {
		const file = path.join(this.userFolder, 'workflows.import.json');
		fs.writeFileSync(file, JSON.stringify(workflows));
		return await this.run(['import:workflow', `--input=${file}`]);
	}

	async execute(workflowId: string, timeoutMs?: number): Promise<Execution> {
		const result = await this.run(['execute', `--id=${workflowId}`, '--rawOutput'], timeoutMs);
		return executionFrom(result, this.redact);
	}
}

/** The workflows in a folder's top-level *.json files, sorted by file name. */
export function readWorkflows(folder: string): WorkflowJson[] {
	return fs
		.readdirSync(folder)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => JSON.parse(fs.readFileSync(path.join(folder, file), 'utf8')) as WorkflowJson);
}
