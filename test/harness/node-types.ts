import type {
	IDataObject,
	INode,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeHelpers, UnexpectedError, Workflow } from 'n8n-workflow';

/** The node types known to one harness workflow, keyed by their full type name. */
export class HarnessNodeTypes implements INodeTypes {
	private readonly types = new Map<string, INodeType | IVersionedNodeType>();

	register(typeName: string, type: INodeType | IVersionedNodeType): this {
		this.types.set(typeName, type);
		return this;
	}

	getByName(typeName: string): INodeType | IVersionedNodeType {
		const type = this.types.get(typeName);
		if (!type) throw new UnexpectedError(`Unknown node type "${typeName}"`);
		return type;
	}

	getByNameAndVersion(typeName: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(typeName), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

/** Latest version a node type declares (what n8n puts on a freshly added node). */
export function latestVersion(type: INodeType | IVersionedNodeType): number {
	if ('nodeVersions' in type) return type.currentVersion;
	const { version } = type.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}

const EXPRESSION_NODE: INode = {
	id: 'expression',
	name: 'Expression',
	type: 'mock',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/**
 * A one-node workflow that exists only to evaluate expressions outside a run, like the mock
 * workflow n8n's CredentialsHelper builds for resolving `$credentials` expressions.
 */
export function expressionOnlyWorkflow(): { workflow: Workflow; node: INode } {
	const nodeTypes = new HarnessNodeTypes().register('mock', {
		description: {
			displayName: 'Mock',
			name: 'mock',
			group: [],
			version: 1,
			description: '',
			defaults: {},
			inputs: [],
			outputs: [],
			properties: [],
		},
	});
	const node = { ...EXPRESSION_NODE };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return { workflow, node };
}
