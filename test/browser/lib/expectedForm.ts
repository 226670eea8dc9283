/**
 * What the editor should show for the FanPass node, read from the built node's own description (dist/,
 * the files that go into the tarball): the actions in the node panel, and for each action the top-level
 * parameters n8n renders in its form with default values.
 */
import * as path from 'node:path';
import { NodeHelpers, type ICredentialType, type INodeParameters, type INodeProperties, type INodePropertyOptions, type INodeType } from 'n8n-workflow';
import { ROOT } from '../../../scripts/n8n-runtime/processes';

export interface ExpectedAction {
	resource: string;
	operation: string;
	/** the text in the node panel (the operation's `action`) */
	action: string;
	/** parameter names with an input in the form, in description order */
	parameters: string[];
	/** those that are collections: n8n renders them as a labelled group, not as one parameter-input */
	groups: string[];
	/** their labels */
	labels: string[];
}

/** Required with their .js paths (tsx would take "FanPass.node" for a native addon); `npm run build` comes first. */
function loadBuilt<T>(relativePath: string): T {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require(path.join(ROOT, 'dist', relativePath)) as T;
}
const description = new (loadBuilt<{ FanPass: new () => INodeType }>('nodes/FanPass/FanPass.node.js').FanPass)().description;
const credential = new (loadBuilt<{ FanPassApi: new () => ICredentialType }>('credentials/FanPassApi.credentials.js').FanPassApi)();

export const NODE_DISPLAY_NAME = description.displayName;
export const NODE_DESCRIPTION = description.description;
export const CREDENTIAL_DISPLAY_NAME = credential.displayName;
/** the credential's fields, by name */
export const CREDENTIAL_FIELDS = credential.properties.map((p) => p.name);
/** what the credential's Test says for a 401 (its own rule, shown by n8n in the failure banner) */
export const CREDENTIAL_401_MESSAGE = credential.test?.rules?.find((rule) => rule.type === 'responseCode' && rule.properties.value === 401)?.properties.message ?? '';

type Values = Record<string, unknown>;

/** The version the editor gives a newly added node. */
export const EDITOR_NODE_VERSION = description.defaultVersion ?? (Array.isArray(description.version) ? Math.max(...description.version) : description.version);

/** Whether the editor renders a parameter for these values: n8n's own displayOptions logic (with `@version`). */
function isShown(property: INodeProperties, values: Values): boolean {
	return NodeHelpers.displayParameter(values as INodeParameters, property, { typeVersion: EDITOR_NODE_VERSION }, description);
}

/** Parameters shown for resource/operation when every other parameter keeps its default. */
function formFor(resource: string, operation: string): INodeProperties[] {
	const values: Values = { resource, operation };
	const shown: INodeProperties[] = [];
	for (const property of description.properties) {
		if (!isShown(property, values)) continue;
		if (!(property.name in values)) values[property.name] = property.default;
		shown.push(property);
	}
	// notices have no input; hidden parameters are not rendered at all
	return shown.filter((property) => property.type !== 'notice' && property.type !== 'hidden');
}

export function expectedActions(): ExpectedAction[] {
	const resources = (description.properties.find((p) => p.name === 'resource')?.options ?? []) as INodePropertyOptions[];
	const actions: ExpectedAction[] = [];
	for (const { value: resource } of resources) {
		const operationProperty = description.properties.find((p) => p.name === 'operation' && isShown(p, { resource }));
		for (const option of (operationProperty?.options ?? []) as INodePropertyOptions[]) {
			const form = formFor(String(resource), String(option.value));
			actions.push({
				resource: String(resource),
				operation: String(option.value),
				action: String(option.action ?? option.name),
				parameters: form.map((p) => p.name),
				groups: form.filter((p) => p.type === 'collection' || p.type === 'fixedCollection').map((p) => p.name),
				labels: form.map((p) => p.displayName),
			});
		}
	}
	return actions;
}

/** "resource/operation" of saved node parameters; n8n leaves out parameters that keep their default. */
export function resourceOperationOf(parameters: Record<string, unknown>): string {
	const resource = String(parameters.resource ?? description.properties.find((p) => p.name === 'resource')?.default);
	const operationProperty = description.properties.find((p) => p.name === 'operation' && isShown(p, { resource }));
	return `${resource}/${String(parameters.operation ?? operationProperty?.default)}`;
}
