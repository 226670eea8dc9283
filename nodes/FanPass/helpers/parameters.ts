import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	NodeParameterValueType,
} from 'n8n-workflow';

import { itemError } from './itemErrors';
import { readJsonPath, simpleJsonPath } from './simpleJsonPath';

/** The description of one parameter path such as `options.batchSize` or `properties.property`. */
function findProperty(properties: INodeProperties[], path: string): INodeProperties | undefined {
	const [top, ...rest] = path.split('.');
	const property = properties.find((candidate) => candidate.name === top);
	if (!property || rest.length === 0) return property;
	for (const option of property.options ?? []) {
		if ('values' in option && option.name === rest[0]) {
			return { ...property, default: [] };
		}
		if ('type' in option && option.name === rest[0]) {
			const nested = findProperty([option as INodeProperties], rest.join('.'));
			if (nested) return nested;
		}
	}
	return undefined;
}

const holdsExpression = (value: unknown): boolean => {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (value !== null && typeof value === 'object') return Object.values(value).some(holdsExpression);
	return false;
};

/**
 * Reads one operation's parameters for each item, with the operation's description as the only
 * source of defaults and of the field names shown in errors.
 *
 * - A parameter that holds no expression is read once per run: n8n's getNodeParameter deep-copies
 *   the node and validates on every call, which was most of the node's time on 100,000 items.
 * - An expression that only reads the item, like the default `{{ $json.user_id }}`, is read
 *   directly: n8n 2.x evaluates expressions in an isolated VM at about 0.5-1 ms each.
 * - An expression that fails (a syntax error, a throw) becomes an error naming the item and the
 *   field, instead of n8n's bare "invalid syntax".
 */
export class OperationParameters {
	private readonly raw: INodeParameters;
	private readonly items: INodeExecutionData[];
	private readonly once = new Map<string, unknown>();
	private readonly paths = new Map<string, string[] | undefined>();

	constructor(
		private readonly context: IExecuteFunctions,
		private readonly properties: INodeProperties[],
	) {
		this.raw = context.getNode().parameters;
		this.items = context.getInputData();
	}

	/** The description's default for a parameter path. */
	defaultOf(path: string): NodeParameterValueType {
		const property = findProperty(this.properties, path);
		if (!property) throw new Error(`FanPass node: no parameter "${path}" in this operation's description`);
		return property.default;
	}

	/** The label a user sees for a parameter path, for error messages. */
	labelOf(path: string): string {
		return findProperty(this.properties, path)?.displayName ?? path;
	}

	get(path: string, itemIndex: number): unknown {
		const top = path.split('.')[0];
		const rawValue = this.raw[top];
		if (top === path) {
			if (!this.paths.has(path)) this.paths.set(path, simpleJsonPath(rawValue));
			const jsonPath = this.paths.get(path);
			if (jsonPath) return readJsonPath(this.items[itemIndex]?.json, jsonPath);
		}
		if (!holdsExpression(rawValue)) {
			if (!this.once.has(path)) this.once.set(path, this.evaluate(path, 0));
			return this.once.get(path);
		}
		return this.evaluate(path, itemIndex);
	}

	/** A string parameter, trimmed; `undefined`/`null` read as empty. */
	text(path: string, itemIndex: number): string {
		const value = this.get(path, itemIndex);
		return value === undefined || value === null ? '' : String(value).trim();
	}

	/** One option of an "Add Option" collection, with the option's own default. */
	option(collection: string, name: string, itemIndex: number): unknown {
		return this.get(`${collection}.${name}`, itemIndex);
	}

	private evaluate(path: string, itemIndex: number): unknown {
		const fallback = this.defaultOf(path) as object;
		try {
			return this.context.getNodeParameter(path, itemIndex, fallback);
		} catch (error) {
			const field = this.labelOf(path);
			const cause = error as Error & { description?: string | null };
			throw itemError(
				this.context,
				itemIndex,
				`the ${field} expression failed: ${cause.message}`,
				cause.description ?? `Open the node and check the expression in ${field} for this item.`,
			);
		}
	}
}
