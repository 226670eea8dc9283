import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

/**
 * Shows properties only for one resource and operation, keeping any conditions they already
 * have. A local equivalent of n8n-workflow's updateDisplayOptions, so the node does not depend
 * on a helper that older n8n 1.x releases do not export.
 */
export function showOnlyFor(
	resource: string,
	operation: string,
	properties: INodeProperties[],
): INodeProperties[] {
	const show: IDisplayOptions['show'] = { resource: [resource], operation: [operation] };
	return properties.map((property) => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { ...property.displayOptions?.show, ...show },
		},
	}));
}
