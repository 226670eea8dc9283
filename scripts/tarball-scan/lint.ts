import { ESLint, type Linter, type Rule } from 'eslint';
import { parser as typescriptParser } from 'typescript-eslint';

/**
 * Modules the compiled code may load where n8n runs it. This is the allow-list of the lint
 * plugin's no-restricted-imports rule WITHOUT its exemption for devDependencies: that rule lets a
 * package require anything it lists as a devDependency (it expects bundling), but this package is
 * not bundled, so a devDependency required at runtime would fail to load in n8n.
 */
const RUNTIME_MODULES = new Set(['n8n-workflow', 'crypto', 'node:crypto']);

function moduleName(specifier: string): string | undefined {
	if (specifier.startsWith('./') || specifier.startsWith('../')) return undefined;
	return specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
}

function stringArgument(node: { type: string; value?: unknown } | undefined): string | undefined {
	return node?.type === 'Literal' && typeof node.value === 'string' ? node.value : undefined;
}

const runtimeImportsRule: Rule.RuleModule = {
	meta: {
		type: 'problem',
		messages: { notInstalled: "'{{ name }}' is not available to a community node at runtime (only {{ allowed }})" },
		schema: [],
	},
	create(context) {
		const check = (node: Rule.Node, specifier: string | undefined) => {
			const name = specifier === undefined ? undefined : moduleName(specifier);
			if (name !== undefined && !RUNTIME_MODULES.has(name)) {
				context.report({ node, messageId: 'notInstalled', data: { name, allowed: [...RUNTIME_MODULES].join(', ') } });
			}
		};
		return {
			ImportDeclaration: (node) => check(node, stringArgument(node.source)),
			ImportExpression: (node) => check(node, stringArgument(node.source)),
			CallExpression: (node) => {
				if (node.callee.type === 'Identifier' && node.callee.name === 'require') {
					check(node, stringArgument(node.arguments[0] as { type: string; value?: unknown }));
				}
			},
		};
	},
};

export interface LintFinding {
	file: string;
	line: number;
	column: number;
	rule: string;
	message: string;
	severity: 'error' | 'warning';
}

interface NodesBasePlugin extends ESLint.Plugin {
	configs: { community: { rules: Linter.RulesRecord } };
}

/**
 * The config n8n's package scanner (@n8n/scan-community-package, `analyzePackage`) lints a
 * tarball with: the community-nodes plugin's recommended rules plus `no-console`, on every
 * `**\/*.js` and on package.json (parsed by the TypeScript parser), and the package.json rules
 * of eslint-plugin-n8n-nodes-base. Plus this repo's stricter runtime-imports rule.
 */
async function scanConfig(): Promise<Linter.Config[]> {
	const { n8nCommunityNodesPlugin } = await import('@n8n/eslint-plugin-community-nodes');
	// The plugin decides at load time, from NODE_ENV, which AST shape a package.json has; with
	// NODE_ENV=test (as under jest) its package.json rules silently match nothing.
	if (process.env.NODE_ENV === 'test') delete process.env.NODE_ENV;
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const nodesBase = require('eslint-plugin-n8n-nodes-base') as NodesBasePlugin;
	return [
		n8nCommunityNodesPlugin.configs.recommended as Linter.Config,
		{ rules: { 'no-console': 'error' } },
		{ plugins: { 'n8n-nodes-base': nodesBase } },
		{ files: ['package.json'], rules: { ...nodesBase.configs.community.rules } },
		{ files: ['**/*.json'], languageOptions: { parser: typescriptParser as Linter.Parser } },
		{
			files: ['**/*.js'],
			plugins: { tarball: { rules: { 'runtime-imports': runtimeImportsRule } } },
			rules: { 'tarball/runtime-imports': 'error' },
		},
	];
}

/** Lints every .js file and package.json of an extracted package the way n8n's scanner does. */
export async function lintPackage(packageDir: string): Promise<LintFinding[]> {
	const eslint = new ESLint({
		cwd: packageDir,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: await scanConfig(),
	});
	const results = await eslint.lintFiles(['**/*.js', 'package.json']);
	return results.flatMap((result) =>
		result.messages.map((message) => ({
			file: result.filePath.slice(packageDir.length + 1).split('\\').join('/'),
			line: message.line,
			column: message.column,
			rule: message.ruleId ?? 'parse',
			message: message.message,
			severity: message.severity === 2 ? ('error' as const) : ('warning' as const),
		})),
	);
}
