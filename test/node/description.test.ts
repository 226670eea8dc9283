/**
 * What a person (and an agent) reads in the node panel: every parameter explains itself,
 * actions read as sentences, the subtitle names the action, the codex and icons are complete.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
	Workflow,
	type INode,
	type INodeProperties,
	type INodePropertyCollection,
	type INodePropertyOptions,
	type INodeTypeDescription,
	type Themed,
} from 'n8n-workflow';

import { FanPassApi } from '../../credentials/FanPassApi.credentials';
import { FanPass } from '../../nodes/FanPass/FanPass.node';
import { actionSentences } from '../../nodes/FanPass/actions/properties';
import { OPERATIONS } from '../../nodes/FanPass/actions/router';
import { HarnessNodeTypes } from '../harness/node-types';

const ROOT = path.resolve(__dirname, '..', '..');
const description = new FanPass().description;
const credential = new FanPassApi();

/** Every parameter, including collection options and fixedCollection values, with a readable path. */
function walk(properties: INodeProperties[], prefix = ''): Array<{ path: string; property: INodeProperties }> {
	return properties.flatMap((property) => {
		const here = `${prefix}${property.name}`;
		const children = (property.options ?? []).flatMap((option) => {
			if ('values' in option) return walk((option as INodePropertyCollection).values, `${here}.${option.name}.`);
			if ('type' in option) return walk([option as INodeProperties], `${here}.`);
			return [];
		});
		return [{ path: here, property }, ...children];
	});
}

const isChoice = (option: unknown): option is INodePropertyOptions =>
	typeof option === 'object' && option !== null && 'value' in option && !('type' in option);

/** Top-level parameters share names across operations ("options"), so label them with where they show. */
const labelled = (properties: INodeProperties[]) =>
	properties.flatMap((property) => {
		const show = property.displayOptions?.show ?? {};
		const where = [show.resource, show.operation].filter(Boolean).join(' ');
		return walk([property], where ? `[${where}] ` : '');
	});

const nodeParameters = labelled(description.properties).filter(({ property }) => property.type !== 'notice');
/** The "Add Option" collections are containers, as in n8n's own nodes; each option in them is checked. */
const isOptionsContainer = (property: INodeProperties) => property.type === 'collection' && property.placeholder === 'Add Option';
const credentialParameters = walk(credential.properties);

describe('node description quality', () => {
	it.each(
		[...nodeParameters, ...credentialParameters]
			.filter(({ property }) => !isOptionsContainer(property))
			.map(({ path: p, property }) => [p, property] as const),
	)(
		'%s has a display name and a description',
		(_path, property) => {
			expect(property.displayName.trim()).not.toBe('');
			expect(property.description?.trim()).toBeTruthy();
			expect(property.description).not.toMatch(/\s$/);
		},
	);

	it.each(
		[...nodeParameters, ...credentialParameters]
			.filter(({ property }) => property.type === 'string' && !property.typeOptions?.password)
			.map(({ path: p, property }) => [p, property] as const),
	)('text parameter %s shows an example (placeholder) or a hint', (_path, property) => {
		expect(`${property.placeholder ?? ''}${property.hint ?? ''}`.trim()).not.toBe('');
	});

	it.each(nodeParameters.filter(({ property }) => property.type === 'options').map(({ path: p, property }) => [p, property] as const))(
		'every choice of %s has a name and a description',
		(_path, property) => {
			const choices = (property.options ?? []).filter(isChoice);
			expect(choices.length).toBeGreaterThan(0);
			for (const choice of choices) {
				expect(choice.name.trim()).not.toBe('');
				expect(choice.description?.trim()).toBeTruthy();
			}
		},
	);

	// derived from the description and the router, so adding an action needs no edit here
	const ACTIONS = actionSentences(description.properties);

	it('every action in the panel has an implementation in the router, and the router nothing else', () => {
		const routed = Object.entries(OPERATIONS).flatMap(([resource, operations]) => Object.keys(operations).map((operation) => `${resource}:${operation}`));
		expect(Object.keys(ACTIONS).sort()).toEqual(routed.sort());
		expect(Object.keys(ACTIONS)).toHaveLength(5);
	});

	it.each(Object.entries(ACTIONS))('the action of %s, "%s", reads as a sentence in sentence case', (_key, action) => {
		expect(action).toMatch(/^[A-Z][a-z]*( [a-z]+)+$/);
	});

	it.each(Object.entries(ACTIONS))('the subtitle of %s is the action "%s"', (key, action) => {
		const [resource, operation] = key.split(':');
		const node: INode = { id: '1', name: 'FanPass', type: 'n8n-nodes-fanpass.fanPass', typeVersion: 1, position: [0, 0], parameters: { resource, operation } };
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: new HarnessNodeTypes().register(node.type, new FanPass()) });
		expect(workflow.expression.getSimpleParameterValue(node, description.subtitle as string, 'internal', {})).toBe(action);
	});

	it('the codex has categories, the aliases people search for, and documentation links', () => {
		const codex = JSON.parse(fs.readFileSync(path.join(ROOT, 'nodes', 'FanPass', 'FanPass.node.json'), 'utf8'));
		expect(codex.node).toBe(`n8n-nodes-fanpass.${description.name}`);
		const knownCategories = ['Analytics', 'Communication', 'Data & Storage', 'Development', 'Finance & Accounting', 'Marketing', 'Miscellaneous', 'Productivity', 'Sales', 'Utility'];
		expect(codex.categories.length).toBeGreaterThan(0);
		for (const category of codex.categories) expect(knownCategories).toContain(category);
		expect(codex.alias).toEqual(expect.arrayContaining(['audience', 'segment', 'fans', 'CRM', 'FanReach']));
		expect(codex.resources.primaryDocumentation[0].url).toMatch(/^https:\/\//);
		expect(codex.resources.credentialDocumentation[0].url).toBe(credential.documentationUrl);
	});
});

describe('icons', () => {
	const themed = (icon: unknown, base: string) => {
		const { light, dark } = icon as Exclude<Themed<string>, string>;
		const resolve = (file: string) => path.resolve(base, file.replace(/^file:/, ''));
		return { light: resolve(light), dark: resolve(dark) };
	};
	const sets = {
		node: themed((description as INodeTypeDescription).icon, path.join(ROOT, 'nodes', 'FanPass')),
		credential: themed(credential.icon, path.join(ROOT, 'credentials')),
	};

	it.each(Object.entries(sets))('the %s has a light and a distinct dark SVG', (_owner, { light, dark }) => {
		expect(path.extname(light)).toBe('.svg');
		expect(fs.readFileSync(light, 'utf8')).not.toEqual(fs.readFileSync(dark, 'utf8'));
	});

	const files = [...new Set(Object.values(sets).flatMap(({ light, dark }) => [light, dark]))];
	it.each(files.map((file) => [path.relative(ROOT, file), file]))('%s is a valid, square, self-contained SVG', (_name, file) => {
		const text = fs.readFileSync(file, 'utf8');
		expect(XMLValidator.validate(text)).toBe(true);
		const { svg } = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(text);
		expect(svg.xmlns).toBe('http://www.w3.org/2000/svg');
		const [, , width, height] = String(svg.viewBox).split(/[\s,]+/).map(Number);
		expect(width).toBeGreaterThan(0);
		expect(width).toBe(height);
		expect(text).not.toMatch(/<script|\son\w+=|xlink:href="http|href="http|<image/i);
		expect(text.length).toBeLessThan(10_000);
	});
});
