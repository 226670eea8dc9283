/** What the editor gets from the running n8n: the imported workflows and credentials, and the FanPass node type. */
import { PACKAGE_NAME } from '../../../scripts/n8n-runtime/packageTarball';
import { unwrap } from '../../../scripts/n8n-runtime/n8nServer';
import type { SuiteContext } from './context';

interface NodeTypeDescription {
	name: string;
	version: number | number[];
	credentials?: Array<{ name: string }>;
	properties: Array<{ name: string; displayOptions?: { show?: Record<string, unknown[]> }; options?: Array<{ value: unknown }> }>;
}

export async function editorListing(ctx: SuiteContext): Promise<void> {
	const { checks } = ctx;
	const server = await ctx.server();
	const workflows = unwrap<Array<{ id: string }>>(await server.rest('GET', '/rest/workflows'));
	const listed = new Set(workflows.map((w) => w.id));
	checks.equal('the owner sees every imported workflow', [...ctx.workflows.keys()].filter((id) => !listed.has(id)), []);
	const credentials = unwrap<Array<{ id: string; type: string; data?: unknown }>>(await server.rest('GET', '/rest/credentials'));
	checks.check('the owner sees the imported FanPass credentials', [ctx.credentialIds.good, ctx.credentialIds.bad].every((id) => credentials.some((c) => c.id === id && c.type === 'fanPassApi')));
	const listing = JSON.stringify(credentials);
	checks.check('the credential list does not reveal the tokens', ctx.secrets.every((secret) => !listing.includes(secret)) && !listing.includes('sandbox-token'));

	const response = await fetch(`${server.url}/types/nodes.json`, { headers: { cookie: server.cookie } });
	const types = response.ok ? ((await response.json()) as NodeTypeDescription[]) : [];
	const fanPass = types.find((t) => t.name === `${PACKAGE_NAME}.fanPass`);
	checks.check(`/types/nodes.json lists ${PACKAGE_NAME}.fanPass`, !!fanPass, `${response.status}, ${types.length} types`);
	// n8n itself adds a "Custom API Call" entry (__CUSTOM_API_CALL__) to nodes whose credential has `authenticate`
	const operations = (resource: string) =>
		(fanPass?.properties.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource))?.options ?? [])
			.map((o) => o.value)
			.filter((value) => value !== '__CUSTOM_API_CALL__')
			.sort();
	checks.equal('the editor gets the segment operations', operations('segment'), ['getImportStatus', 'uploadFile', 'upsert', 'waitForImport']);
	checks.equal('the editor gets the user operations', operations('user'), ['update']);
	checks.equal('the node asks for the fanPassApi credential', fanPass?.credentials?.map((c) => c.name), ['fanPassApi']);
}
