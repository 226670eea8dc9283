/** A credential with a bad token: the execution fails with FanPass's 401, pointing at the credential. */
import { nodeName, type SuiteContext } from './context';

export async function badToken(ctx: SuiteContext): Promise<void> {
	const { checks } = ctx;
	const { execution, state } = await ctx.execute('fanpassE2eBadToken');
	checks.check('execution failed (non-zero exit or error in output)', execution.result.code !== 0 || !!execution.error, execution.text.slice(-800));
	const err = execution.error;
	checks.check('the failed execution is reported as JSON with resultData.error', !!err, execution.text.slice(-1500));
	checks.equal('error httpCode', err?.httpCode, '401');
	checks.check('error message points at the FanPass credential', /FanPass credential/.test(String(err?.message)), err);
	checks.check("error description carries FanPass's own 401 text", /FanPass said: .*(token|unauthori[sz]ed)/i.test(String(err?.description)), err);
	checks.equal('error names the FanPass node', nodeName(err?.node), 'Update user attributes');
	checks.check("n8n's console error repeats the credential hint", /FanPass credential/.test(execution.text), execution.text.slice(-800));
	const raw = `${execution.result.stdout}${execution.result.stderr}`;
	checks.check('no secret is printed', ctx.secrets.every((secret) => !raw.includes(secret)));
	checks.check('sandbox answered 401 with an invalid token', state.requests.length > 0 && state.requests.every((r) => r.status === 401 && r.auth.present && !r.auth.valid), state.requests);
	checks.equal('no users written', Object.keys(state.users).length, 0);
}
