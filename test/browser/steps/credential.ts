/**
 * The FanPass credential in n8n's credential modal: create it with the sandbox URL, Save (n8n then runs the
 * credential's Test through the sandbox) and see the success banner; a bad token shows FanPass's 401
 * message; the good token is saved again for the node forms.
 */
import { SANDBOX_TOKEN } from '../../../scripts/n8n-runtime/sandboxProcess';
import { CREDENTIAL_401_MESSAGE, CREDENTIAL_DISPLAY_NAME, CREDENTIAL_FIELDS } from '../lib/expectedForm';
import { screenshot, type StepContext } from './context';

async function saveWithToken(ctx: StepContext, token: string) {
	const { editor, sandbox } = ctx;
	await sandbox.reset();
	await editor.fillCredentialField('apiToken', token);
	await editor.saveCredential();
	const state = await sandbox.state();
	return state.requests.map((r) => ({ method: r.method, path: r.path, status: r.status, authValid: r.auth.valid }));
}

export async function credentialStep(ctx: StepContext): Promise<void> {
	const { editor, checks, sandbox } = ctx;
	const modal = await editor.openNewCredential(CREDENTIAL_DISPLAY_NAME);
	checks.check(`credential modal for "${CREDENTIAL_DISPLAY_NAME}" opens`, await modal.isVisible());
	const fieldsShown = [];
	for (const field of CREDENTIAL_FIELDS) if (await modal.getByTestId(`parameter-input-${field}`).isVisible()) fieldsShown.push(field);
	checks.equal('credential fields rendered', fieldsShown, CREDENTIAL_FIELDS);

	await editor.fillCredentialField('baseUrl', sandbox.url);
	const good = await saveWithToken(ctx, SANDBOX_TOKEN);
	await editor.credentialTestSuccess().waitFor({ timeout: 15_000 }).catch(() => undefined);
	checks.check('good token: "Connection tested successfully" banner', await editor.credentialTestSuccess().isVisible());
	checks.equal('good token: the Test reached the sandbox with a valid token', good, [
		{ method: 'POST', path: '/api/v1/update_user', status: 400, authValid: true },
	]);
	ctx.credentialName = await editor.credentialName();
	await screenshot(ctx, 'credential-test-success.png');

	const bad = await saveWithToken(ctx, ctx.badToken);
	await editor.credentialTestFailure().waitFor({ timeout: 15_000 }).catch(() => undefined);
	checks.check('bad token: "Couldn’t connect with these settings" banner', await editor.credentialTestFailure().isVisible());
	await editor.showCredentialTestDetails();
	const message = modal.getByText(CREDENTIAL_401_MESSAGE);
	checks.check(`bad token: FanPass's message shown ("${CREDENTIAL_401_MESSAGE.slice(0, 45)}…")`, CREDENTIAL_401_MESSAGE.length > 0 && (await message.isVisible()));
	checks.check(
		'bad token: the Test reached the sandbox, which answered 401',
		bad.length > 0 && bad.every((r) => r.method === 'POST' && r.path === '/api/v1/update_user' && r.status === 401 && !r.authValid),
		bad,
	);
	checks.check('the token is not readable in the modal (password field)', !(await modal.innerText()).includes(ctx.badToken));
	await screenshot(ctx, 'credential-test-bad-token.png');

	await saveWithToken(ctx, SANDBOX_TOKEN);
	await editor.credentialTestSuccess().waitFor({ timeout: 15_000 }).catch(() => undefined);
	checks.check('good token saved again: success banner', await editor.credentialTestSuccess().isVisible());
	await editor.closeCredentialModal();
}
