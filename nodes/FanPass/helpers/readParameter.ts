import type { IExecuteFunctions } from 'n8n-workflow';

import { itemError } from './itemErrors';
import { readJsonPath, simpleJsonPath } from './simpleJsonPath';

const LABELS: Record<string, string> = {
	tag: 'Segment Tag',
	title: 'Segment Title',
	sourceType: 'Source Type',
	userId: 'User ID',
	userIdList: 'User IDs',
	csvUserId: 'User ID',
	csvColumns: 'Attribute Columns',
	propertiesJson: 'Properties (JSON)',
	properties: 'Properties',
	binaryPropertyName: 'Input Binary Field',
	importId: 'Import ID',
};

/**
 * Reads a parameter for one item. An expression that fails (a syntax error, a throw) becomes an
 * error that names the item and the field, instead of n8n's bare "invalid syntax".
 *
 * An expression that only reads the item, like the default `{{ $json.user_id }}`, is read directly:
 * n8n 2.x evaluates expressions in an isolated VM at about 0.5-1 ms each, which made evaluating
 * User ID nearly all of the node's time on 100,000 items (npm run bench).
 */
export function readParameter(context: IExecuteFunctions, name: string, itemIndex: number, fallback?: unknown): unknown {
	const path = name.includes('.') ? undefined : simpleJsonPath(context.getNode().parameters[name]);
	if (path) return readJsonPath(context.getInputData()[itemIndex]?.json, path);
	try {
		return context.getNodeParameter(name, itemIndex, fallback);
	} catch (error) {
		const field = LABELS[name.split('.')[0]] ?? name;
		const cause = error as Error & { description?: string | null };
		throw itemError(
			context,
			itemIndex,
			`the ${field} expression failed: ${cause.message}`,
			cause.description ?? `Open the node and check the expression in ${field} for this item.`,
		);
	}
}
