/**
 * A new workflow: search "FanPass" in the node panel, see the node and its actions, then add each action
 * and check that its form renders the parameters the node's description defines, with the credential
 * selected. The workflow is saved and read back through the REST API.
 */
import { expectedActions, NODE_DESCRIPTION, NODE_DISPLAY_NAME, resourceOperationOf, type ExpectedAction } from '../lib/expectedForm';
import { settled } from '../lib/editor';
import { screenshot, type StepContext } from './context';

const sorted = (list: string[]) => [...list].sort();

async function openNodeActions(ctx: StepContext): Promise<void> {
	const { editor } = ctx;
	await editor.searchNodePanel(NODE_DISPLAY_NAME);
	const result = editor.nodeResult(NODE_DISPLAY_NAME);
	await result.first().waitFor({ timeout: 15_000 });
	await result.first().click();
}

async function checkActionForm(ctx: StepContext, expected: ExpectedAction): Promise<void> {
	const { editor, checks } = ctx;
	await editor.actionItem(expected.action).click();
	await editor.ndvParameters().waitFor({ timeout: 15_000 });
	const prefix = `"${expected.action}"`;
	checks.check(`${prefix}: form opens titled with the action`, (await editor.ndv().getByTestId('node-title-container').innerText()).includes(expected.action));

	const inputs = expected.parameters.filter((name) => !expected.groups.includes(name));
	await editor.ndvParameters().getByTestId(`parameter-input-${inputs[inputs.length - 1]}`).waitFor({ timeout: 10_000 }).catch(() => undefined);
	checks.equal(`${prefix}: parameter inputs`, sorted(await editor.visibleParameterInputs()), sorted(inputs));
	const missingLabels: string[] = [];
	for (const label of expected.labels) {
		if (!(await editor.ndvParameters().getByText(label, { exact: true }).first().isVisible())) missingLabels.push(label);
	}
	checks.check(`${prefix}: labels ${expected.labels.join(', ')}`, missingLabels.length === 0, { missing: missingLabels });
	checks.equal(`${prefix}: credential selected`, await editor.ndvCredential(), ctx.credentialName);
	await settled(editor.ndv());
	await screenshot(ctx, `action-${expected.resource}-${expected.operation}.png`);
	await editor.closeNdv();
}

interface SavedWorkflow {
	id: string;
	nodes: Array<{ type: string; parameters: Record<string, unknown>; credentials?: Record<string, { id: string; name: string }> }>;
}

export async function nodeFormsStep(ctx: StepContext): Promise<void> {
	const { editor, checks, watch, server } = ctx;
	const actions = expectedActions();
	checks.equal(
		"the node's description defines the five FanPass operations",
		sorted(actions.map((a) => `${a.resource}/${a.operation}`)),
		['segment/getImportStatus', 'segment/uploadFile', 'segment/upsert', 'segment/waitForImport', 'user/update'],
	);
	await editor.newWorkflow();

	watch.step = 'node panel';
	await editor.searchNodePanel(NODE_DISPLAY_NAME);
	const result = editor.nodeResult(NODE_DISPLAY_NAME);
	await result.first().waitFor({ timeout: 15_000 }).catch(() => undefined);
	checks.equal(`search "${NODE_DISPLAY_NAME}": one result named ${NODE_DISPLAY_NAME}`, await result.count(), 1);
	const icon = result.first().locator('img').first();
	const iconSrc = (await icon.getAttribute('src').catch(() => null)) ?? '';
	const iconWidth = await icon.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth).catch(() => 0);
	checks.check('the node icon (the package SVG) loads', /fanpass/i.test(iconSrc) && iconWidth > 0, { src: iconSrc, naturalWidth: iconWidth });
	await result.first().click();
	const nodeDescription = editor.nodePanel().getByText(NODE_DESCRIPTION).first();
	await nodeDescription.waitFor({ timeout: 5_000 }).catch(() => undefined);
	checks.check('the node panel shows the node description', await nodeDescription.isVisible());
	const missing: string[] = [];
	for (const { action } of actions) {
		await editor.actionItem(action).first().waitFor({ timeout: 5_000 }).catch(() => undefined);
		if ((await editor.actionItem(action).count()) !== 1) missing.push(action);
	}
	checks.check(`actions listed: ${actions.map((a) => a.action).join(' / ')}`, missing.length === 0, { missing, shown: await editor.nodePanelItems().allInnerTexts() });
	await settled(editor.actionItem(actions[0].action).first());
	await screenshot(ctx, 'node-panel-actions.png');

	for (const [index, expected] of actions.entries()) {
		watch.step = `form: ${expected.action}`;
		try {
			if (index > 0) await openNodeActions(ctx);
			await checkActionForm(ctx, expected);
		} catch (error) {
			checks.check(`"${expected.action}": form step ran to the end`, false, error instanceof Error ? error.message : String(error));
			await editor.page.keyboard.press('Escape').catch(() => undefined);
		}
	}

	watch.step = 'save workflow';
	const saved = editor.page.waitForResponse((r) => /\/rest\/workflows(\/[^/]+)?$/.test(new URL(r.url()).pathname) && ['POST', 'PATCH'].includes(r.request().method()), { timeout: 15_000 });
	await editor.page.keyboard.press('Control+s');
	const response = await saved.catch(() => undefined);
	checks.check('workflow saved with Ctrl+S', !!response?.ok(), response ? `${response.status()}` : 'no save request');
	const savedBody = (await response?.json().catch(() => undefined)) as { data?: { id?: string }; id?: string } | undefined;
	const id = savedBody?.data?.id ?? savedBody?.id ?? '';
	const workflow = await server.rest<{ data: SavedWorkflow }>('GET', `/rest/workflows/${id}`).then((r) => r.data).catch(() => undefined);
	const fanPassNodes = (workflow?.nodes ?? []).filter((node) => node.type === 'n8n-nodes-fanpass.fanPass');
	checks.equal(
		'saved workflow: one n8n-nodes-fanpass.fanPass node per action, with its resource/operation',
		sorted(fanPassNodes.map((node) => resourceOperationOf(node.parameters))),
		sorted(actions.map((a) => `${a.resource}/${a.operation}`)),
	);
	checks.check(
		'saved workflow: every FanPass node uses the FanPass credential',
		fanPassNodes.length > 0 && fanPassNodes.every((node) => node.credentials?.fanPassApi?.name === ctx.credentialName),
		fanPassNodes.map((node) => node.credentials),
	);
}
