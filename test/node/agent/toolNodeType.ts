import {
	NodeConnectionTypes,
	deepCopy,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

/**
 * The node type n8n registers as `<name>Tool` for a node with `usableAsTool` (n8n's
 * `convertNodeToAiTool`, in the n8n server package, which is not a dependency of this repo):
 * no main input, one ai_tool output, and a tool description the agent sees, set automatically
 * from the resource and operation or written by the user. Execution is the node's own `execute`.
 * `aiTool.test.ts` compares this with n8n's own conversion whenever an n8n install is at hand.
 */
export function asAiToolNodeType(nodeType: INodeType): INodeType {
	const base = deepCopy(nodeType.description);
	const replacements = typeof base.usableAsTool === 'object' ? base.usableAsTool.replacements : undefined;
	const description: INodeTypeDescription = { ...base, ...replacements };
	description.name += 'Tool';
	description.displayName += ' Tool';
	description.inputs = [];
	description.outputs = [NodeConnectionTypes.AiTool];
	delete description.usableAsTool;

	const names = description.properties.map((property) => property.name);
	if (!names.includes('toolDescription')) {
		const toolDescription: INodeProperties = {
			displayName: 'Description',
			name: 'toolDescription',
			type: 'string',
			default: description.description,
			required: true,
			typeOptions: { rows: 2 },
			description:
				'Explain to the LLM what this tool does, a good, specific description would allow LLMs to produce expected results much more often',
		};
		const added: INodeProperties[] = [toolDescription];
		if (names.includes('resource') || names.includes('operation')) {
			toolDescription.displayOptions = { show: { descriptionType: ['manual'] } };
			added.unshift({
				displayName: 'Tool Description',
				name: 'descriptionType',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Set Automatically', value: 'auto', description: 'Automatically set based on resource and operation' },
					{ name: 'Set Manually', value: 'manual', description: 'Manually set the description' },
				],
				default: 'auto',
			});
		}
		const lastCallout = description.properties.map((property) => property.type).lastIndexOf('callout');
		description.properties.splice(lastCallout + 1, 0, ...added);
	}
	return { description, execute: nodeType.execute };
}
