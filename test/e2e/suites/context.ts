/** What every e2e suite gets: one n8n version with the package installed, the sandbox, the checks. */
import type { Checks } from '../../../scripts/n8n-runtime/checks';
import type { Execution, N8nCli, WorkflowJson } from '../../../scripts/n8n-runtime/n8nCli';
import type { N8nInstall } from '../../../scripts/n8n-runtime/n8nInstall';
import type { N8nServer } from '../../../scripts/n8n-runtime/n8nServer';
import type { SandboxProcess, SandboxState } from '../../../scripts/n8n-runtime/sandboxProcess';

export interface ExecutionRecord {
	id: string;
	name: string;
	version: string;
	ms: number;
	code: number | null;
	last: string;
	execution: Execution;
	state: SandboxState;
}

export interface SuiteContext {
	install: N8nInstall;
	userFolder: string;
	cli: N8nCli;
	sandbox: SandboxProcess;
	checks: Checks;
	/** every imported workflow (examples + test workflows) by id */
	workflows: Map<string, WorkflowJson>;
	/** the environment every n8n process of this version gets on top of the runtime's (file access) */
	env: NodeJS.ProcessEnv;
	/** the folder n8n may read files from (N8N_RESTRICT_FILE_ACCESS_TO), filled with examples/files/ */
	filesDir: string;
	/** resets the sandbox (unless reset: false), runs `n8n execute --id`, returns the execution and the sandbox state after it */
	execute: (id: string, options?: { reset?: boolean }) => Promise<ExecutionRecord>;
	/** strings that must never be printed */
	secrets: string[];
	/** `n8n start` on the same user folder, started on first use (after the CLI suites), stopped after the version's suites */
	server: () => Promise<N8nServer>;
	/** the good token's credential id, and the bad token's */
	credentialIds: { good: string; bad: string };
}

export function mustSucceed(ctx: SuiteContext, record: ExecutionRecord): boolean {
	const { execution } = record;
	return ctx.checks.check(
		'execution succeeded (exit 0, parsable --rawOutput, no error)',
		execution.result.code === 0 && !!execution.data && !execution.error,
		execution.error ?? execution.text.slice(-1500),
	);
}

export function nodeName(node: string | { name?: string } | undefined): string | undefined {
	return typeof node === 'object' ? node.name : node;
}
