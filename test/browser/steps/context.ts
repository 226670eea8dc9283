/** What every browser step gets: one signed-in editor page on one n8n version, the sandbox, the checks. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Checks } from '../../../scripts/n8n-runtime/checks';
import type { N8nServer } from '../../../scripts/n8n-runtime/n8nServer';
import type { SandboxProcess } from '../../../scripts/n8n-runtime/sandboxProcess';
import type { ConsoleWatch } from '../lib/consoleWatch';
import type { Editor } from '../lib/editor';

export interface StepContext {
	version: string;
	editor: Editor;
	watch: ConsoleWatch;
	server: N8nServer;
	sandbox: SandboxProcess;
	checks: Checks;
	/** a token the sandbox rejects; never printed */
	badToken: string;
	/** folders each screenshot is written to */
	screenshotDirs: string[];
	/** file names written so far */
	screenshots: string[];
	/** filled by the credential step: the saved credential's name, for the node forms */
	credentialName?: string;
}

export async function screenshot(ctx: StepContext, fileName: string): Promise<void> {
	const png = await ctx.editor.page.screenshot({ type: 'png' });
	for (const dir of ctx.screenshotDirs) {
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(path.join(dir, fileName), png);
	}
	ctx.screenshots.push(fileName);
}
