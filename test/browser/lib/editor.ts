/**
 * The parts of n8n's editor the browser test uses, by the data-test-id attributes n8n's own Playwright
 * tests rely on (stable across 1.x and 2.x), with text only where n8n sets no test id.
 */
import type { Locator, Page } from 'playwright-core';

/** Waits until the element stops moving (n8n slides panels in), so that a screenshot shows it in place. */
export async function settled(locator: Locator, timeoutMs = 5_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let last = '';
	while (Date.now() < deadline) {
		const box = JSON.stringify(await locator.boundingBox().catch(() => null));
		if (box !== 'null' && box === last) return;
		last = box;
		await locator.page().waitForTimeout(150);
	}
}

export class Editor {
	constructor(
		readonly page: Page,
		readonly baseUrl: string,
	) {}

	// ------------------------------------------------------------ sign in

	async signIn(email: string, password: string): Promise<void> {
		await this.page.goto(`${this.baseUrl}/signin`);
		await this.page.getByTestId('emailOrLdapLoginId').locator('input').fill(email);
		await this.page.getByTestId('password').locator('input').fill(password);
		await this.page.getByTestId('form-submit-button').click();
		await this.page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 30_000 });
	}

	// ------------------------------------------------------------ credentials

	/** Credentials overview → Create credential → pick the type by its display name → the edit modal. */
	async openNewCredential(typeDisplayName: string): Promise<Locator> {
		await this.page.goto(`${this.baseUrl}/home/credentials`);
		await this.page.getByTestId('add-resource-credential').click();
		const select = this.page.getByTestId('new-credential-type-select');
		await select.click();
		await select.locator('input').fill(typeDisplayName);
		await this.page.getByTestId('new-credential-type-select-option').filter({ hasText: typeDisplayName }).first().click();
		await this.page.getByTestId('new-credential-type-button').click();
		const modal = this.credentialModal();
		await modal.waitFor();
		return modal;
	}

	credentialModal(): Locator {
		return this.page.getByTestId('editCredential-modal');
	}

	async fillCredentialField(name: string, value: string): Promise<void> {
		await this.credentialModal().getByTestId(`parameter-input-${name}`).locator('input, textarea').first().fill(value);
	}

	/** Save; n8n then runs the credential's test and shows its result in a banner above the fields. */
	async saveCredential(): Promise<void> {
		const credentialTest = this.page.waitForResponse((r) => r.url().includes('/rest/credentials/test'), { timeout: 30_000 });
		const save = this.credentialModal().getByTestId('credential-save-button');
		await save.click();
		await credentialTest;
		// while saving, the button shows only a spinner; its label ("Save" or "Saved") returns when done
		await save.filter({ hasText: /\S/ }).waitFor({ timeout: 5_000 }).catch(() => undefined);
	}

	credentialTestSuccess(): Locator {
		return this.credentialModal().getByText('Connection tested successfully');
	}

	credentialTestFailure(): Locator {
		return this.credentialModal().getByText(/Couldn.t connect with these settings/);
	}

	/** The failure banner hides the service's message behind "More details". */
	async showCredentialTestDetails(): Promise<void> {
		const more = this.credentialModal().getByText('More details');
		if (await more.isVisible()) await more.click();
	}

	async credentialName(): Promise<string> {
		return (await this.credentialModal().getByTestId('credential-name').innerText()).trim();
	}

	async closeCredentialModal(): Promise<void> {
		await this.credentialModal().locator('.el-dialog__close').first().click();
		await this.credentialModal().waitFor({ state: 'hidden' });
	}

	// ------------------------------------------------------------ workflow canvas and node panel

	async newWorkflow(): Promise<void> {
		await this.page.goto(`${this.baseUrl}/workflow/new`);
		await this.page.getByTestId('node-creator-plus-button').waitFor();
	}

	nodePanel(): Locator {
		return this.page.getByTestId('node-creator');
	}

	nodePanelItems(): Locator {
		return this.nodePanel().getByTestId('item-iterator-item');
	}

	async searchNodePanel(text: string): Promise<void> {
		await this.page.getByTestId('node-creator-plus-button').click();
		await this.nodePanel().waitFor();
		await this.page.getByTestId('node-creator-search-bar').fill(text);
	}

	/** The node's entry in the search results (its name is an exact text match). */
	nodeResult(displayName: string): Locator {
		return this.nodePanelItems().filter({ has: this.page.getByTestId('node-creator-item-name').getByText(displayName, { exact: true }) });
	}

	/** Inside a node's actions view: one entry per action, found by its exact text. */
	actionItem(action: string): Locator {
		return this.nodePanelItems().filter({ has: this.page.getByText(action, { exact: true }) });
	}

	// ------------------------------------------------------------ node details view (the node's form)

	ndv(): Locator {
		return this.page.getByTestId('ndv');
	}

	ndvParameters(): Locator {
		return this.ndv().getByTestId('node-parameters');
	}

	/** Names of the parameter inputs rendered in the form (data-test-id="parameter-input-<name>"). */
	async visibleParameterInputs(): Promise<string[]> {
		const ids = await this.ndvParameters()
			.locator('[data-test-id^="parameter-input-"]')
			.evaluateAll((elements) =>
				elements
					.filter((element) => (element as unknown as { offsetParent: unknown }).offsetParent !== null)
					.map((element) => element.getAttribute('data-test-id') ?? ''),
			);
		// "parameter-input-field" is the inner text box of a string parameter, not a parameter name
		return [...new Set(ids.filter((id) => id !== 'parameter-input-field').map((id) => id.replace(/^parameter-input-/, '')))];
	}

	/** The credential the node uses, as shown in its credential selector ('' when none). */
	async ndvCredential(): Promise<string> {
		const select = this.ndv().getByTestId('node-credentials-select');
		if (!(await select.count())) return '';
		return (await select.locator('input').first().inputValue().catch(() => '')) || (await select.innerText()).trim();
	}

	/** 2.x has a close button in the form's header, 1.x a "Back to canvas" link. */
	async closeNdv(): Promise<void> {
		const close = this.page.getByTestId('ndv-close-button').or(this.page.getByTestId('back-to-canvas'));
		if (await close.first().isVisible()) await close.first().click();
		else await this.page.keyboard.press('Escape');
		await this.ndv().waitFor({ state: 'hidden' });
	}
}
