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

type ReadPlan = { kind: 'item'; jsonPath: string[] } | { kind: 'constant'; value: unknown } | { kind: 'expression' };

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
	private readonly plans = new Map<string, ReadPlan>();

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
		let plan = this.plans.get(path);
		if (!plan) {
			plan = this.planFor(path);
			this.plans.set(path, plan);
		}
		if (plan.kind === 'item') return readJsonPath(this.items[itemIndex]?.json, plan.jsonPath);
		if (plan.kind === 'constant') return plan.value;
		return this.evaluate(path, itemIndex);
	}

	/** How a path is read for every item of this run, decided on its first read. */
	private planFor(path: string): ReadPlan {
		const steps = path.split('.');
		let rawValue: unknown = this.raw;
		for (const step of steps) rawValue = rawValue !== null && typeof rawValue === 'object' ? (rawValue as Record<string, unknown>)[step] : undefined;
		if (steps.length === 1) {
			const jsonPath = simpleJsonPath(rawValue);
			if (jsonPath) return { kind: 'item', jsonPath };
		}
		if (!holdsExpression(rawValue)) return { kind: 'constant', value: this.evaluate(path, 0) };
		return { kind: 'expression' };
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
