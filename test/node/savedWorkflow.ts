import * as fs from 'node:fs';
import * as path from 'node:path';

import { NodeHelpers, type IDataObject, type INode, type INodeParameters } from 'n8n-workflow';

import { FanPassApi } from '../../credentials/FanPassApi.credentials';
import { FanPass } from '../../nodes/FanPass/FanPass.node';
import type { SandboxHandle } from '../../sandbox/server';
import { runNode, type InputItem } from '../harness';
import { GOOD_TOKEN } from './fixtures';

export const FANPASS_TYPE = 'n8n-nodes-fanpass.fanPass';

interface PinnedItem {
	json: IDataObject;
	binary?: Record<string, { data: string; mimeType?: string; fileName?: string }>;
}

export interface SavedWorkflow {
	name: string;
	nodes: INode[];
	pinData?: Record<string, PinnedItem[]>;
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
}

export function loadSavedWorkflow(file: string, folder = 'saved-v1'): SavedWorkflow {
	return JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', folder, file), 'utf8')) as SavedWorkflow;
}

export function fanPassNode(workflow: SavedWorkflow): INode {
	const nodes = workflow.nodes.filter((node) => node.type === FANPASS_TYPE);
	if (nodes.length !== 1) throw new Error(`${workflow.name}: expected one FanPass node, found ${nodes.length}`);
	return nodes[0];
}

/** The items pinned on the node that feeds the FanPass node, as the harness takes them. */
function upstreamItems(workflow: SavedWorkflow, target: string): InputItem[] {
	const upstream = Object.entries(workflow.connections).find(([, { main }]) => main.flat().some((c) => c.node === target))?.[0];
	const pinned = upstream ? workflow.pinData?.[upstream] : undefined;
	if (!pinned) throw new Error(`${workflow.name}: no pinned data on the node feeding "${target}"`);
	return pinned.map((item) => ({
		json: item.json,
		binary: Object.entries(item.binary ?? {}).map(([property, file]) => ({
			property,
			fileName: file.fileName ?? property,
			mimeType: file.mimeType,
			data: Buffer.from(file.data, 'base64'),
		})),
	}));
}

/** Parameters as the n8n editor stores them: only those that differ from their defaults. */
export function asSavedByEditor(node: INode): INodeParameters | null {
	const { description } = new FanPass();
	return NodeHelpers.getNodeParameters(description.properties, node.parameters, false, false, node, description);
}

/** Runs the saved FanPass node at its saved typeVersion, fed by its pinned upstream data. */
export async function runSavedWorkflow(sandbox: SandboxHandle, workflow: SavedWorkflow) {
	const node = fanPassNode(workflow);
	return await runNode({
		node: new FanPass(),
		typeVersion: node.typeVersion,
		credentialTypes: [new FanPassApi()],
		credentials: { fanPassApi: { apiToken: GOOD_TOKEN, baseUrl: sandbox.url } },
		parameters: node.parameters,
		items: upstreamItems(workflow, node.name),
	});
}
