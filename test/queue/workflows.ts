/**
 * The workflows the queue suite runs besides examples/: the examples with a production trigger (a Webhook in
 * place of the Manual Trigger, the Schedule Trigger every second), and small webhook workflows for binary data,
 * load, rate limits and faults. Built here from the examples so that they cannot drift from them.
 */
import * as path from 'node:path';
import { readWorkflows, type WorkflowJson } from '../../scripts/n8n-runtime/n8nCli';
import { EXAMPLE_CREDENTIAL } from '../../scripts/n8n-runtime/prepareInstance';
import { ROOT } from '../../scripts/n8n-runtime/processes';

export const MANUAL_TRIGGER = "When clicking 'Execute workflow'";
type Node = WorkflowJson['nodes'][number];
type Connections = Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }>;

export const examples = (): WorkflowJson[] => readWorkflows(path.join(ROOT, 'examples')).filter((w) => w.nodes.some((n) => n.name === MANUAL_TRIGGER));

const webhookNode = (name: string, hookPath: string, responseMode = 'onReceived'): Node => ({
	id: `${hookPath}-webhook`,
	name,
	type: 'n8n-nodes-base.webhook',
	typeVersion: 2,
	position: [0, 0],
	webhookId: `${hookPath}-webhook-id`,
	parameters: { httpMethod: 'POST', path: hookPath, responseMode, options: {} },
});

const link = (from: string, ...to: string[]): Connections => ({ [from]: { main: [to.map((node) => ({ node, type: 'main', index: 0 }))] } });

const fanPass = (name: string, parameters: Record<string, unknown>, credentialId = EXAMPLE_CREDENTIAL.id): Node => ({
	id: `${name}-id`.replace(/\W/g, '-'),
	name,
	type: 'n8n-nodes-fanpass.fanPass',
	typeVersion: 1,
	position: [400, 0],
	parameters,
	credentials: { fanPassApi: { id: credentialId, name: credentialId === EXAMPLE_CREDENTIAL.id ? EXAMPLE_CREDENTIAL.name : credentialId } },
});

const code = (name: string, jsCode: string): Node => ({ id: `${name}-id`.replace(/\W/g, '-'), name, type: 'n8n-nodes-base.code', typeVersion: 2, position: [200, 0], parameters: { jsCode } });

/** The example as a production workflow: its Manual Trigger replaced by a Webhook (POST /webhook/<path>). */
export function asWebhook(example: WorkflowJson): WorkflowJson {
	const copy = JSON.parse(JSON.stringify(example)) as WorkflowJson & { connections: Connections };
	const hookPath = `queue-${example.id}`;
	const name = 'Webhook';
	copy.id = `${example.id}Hook`.slice(0, 36);
	copy.name = `${example.name} (webhook)`;
	copy.nodes = copy.nodes.filter((n) => n.name !== MANUAL_TRIGGER && n.type !== 'n8n-nodes-base.scheduleTrigger');
	copy.nodes.unshift(webhookNode(name, hookPath));
	copy.connections = Object.fromEntries(Object.entries(copy.connections).filter(([from]) => copy.nodes.some((n) => n.name === from)).map(([from, c]) => [from, c]));
	copy.connections[name] = (example as unknown as { connections: Connections }).connections[MANUAL_TRIGGER];
	return copy;
}

/** The scheduled example with its Schedule Trigger every second (and no Manual Trigger). */
export function everySecond(example: WorkflowJson): WorkflowJson {
	const copy = JSON.parse(JSON.stringify(example)) as WorkflowJson & { connections: Connections };
	copy.id = `${example.id}Tick`;
	copy.name = `${example.name} (every second)`;
	copy.nodes = copy.nodes.filter((n) => n.name !== MANUAL_TRIGGER);
	delete copy.connections[MANUAL_TRIGGER];
	const trigger = copy.nodes.find((n) => n.type === 'n8n-nodes-base.scheduleTrigger') as Node;
	trigger.parameters = { rule: { interval: [{ field: 'seconds', secondsInterval: 1 }] } };
	return copy;
}

/** A CSV POSTed as multipart (field "data") to main, uploaded by Upload Segment File on a worker. */
export const binaryUpload: WorkflowJson = {
	id: 'queueBinaryUpload',
	name: 'queue: webhook CSV to Upload Segment File',
	nodes: [
		webhookNode('Webhook', 'queue-binary-upload'),
		fanPass('Upload segment file', { resource: 'segment', operation: 'uploadFile', title: 'Webhook CSV', tag: 'webhookCsv', sourceType: 0, fileSource: 'binary', binaryPropertyName: 'data', options: {} }),
	],
	connections: link('Webhook', 'Upload segment file'),
	settings: { executionOrder: 'v1' },
};

/** Body {tag, userIds, tier}: replaces the segment <tag> with userIds and sets loyalty_tier on each user. */
export const segmentAndUsers: WorkflowJson = {
	id: 'queueSegmentAndUsers',
	name: 'queue: segment and users from a webhook',
	nodes: [
		webhookNode('Webhook', 'queue-segment-users'),
		code('Users', 'const { tag, userIds, tier } = $input.first().json.body;\nreturn userIds.map((user_id) => ({ json: { tag, user_id, tier } }));'),
		fanPass('Upsert segment', { resource: 'segment', operation: 'upsert', title: '={{ $json.tag }}', tag: '={{ $json.tag }}', sourceType: 0, userIdSource: 'items', userId: '={{ $json.user_id }}', options: {} }),
		fanPass('Update users', { resource: 'user', operation: 'update', userId: '={{ $json.user_id }}', propertiesInput: 'json', propertiesJson: '={{ JSON.stringify({ loyalty_tier: $json.tier }) }}', options: {} }),
	],
	connections: { ...link('Webhook', 'Users'), ...link('Users', 'Upsert segment', 'Update users') },
	settings: { executionOrder: 'v1' },
};

/**
 * Body {prefix, count, tier, distinct?}: Update User for <count> users <prefix>0.. with loyalty_tier <tier>
 * (or <tier>-<i> when distinct: one request per user); with its own credential and webhook path.
 */
export function updateUsers(id: string, credentialId = EXAMPLE_CREDENTIAL.id): WorkflowJson {
	return {
		id,
		name: `queue: update users (${id})`,
		nodes: [
			webhookNode('Webhook', `queue-${id}`),
			code('Users', 'const { prefix, count, tier, distinct } = $input.first().json.body;\nreturn Array.from({ length: count }, (_, i) => ({ json: { user_id: `${prefix}${i}`, tier: distinct ? `${tier}-${i}` : tier } }));'),
			fanPass('Update users', { resource: 'user', operation: 'update', userId: '={{ $json.user_id }}', propertiesInput: 'json', propertiesJson: '={{ JSON.stringify({ loyalty_tier: $json.tier }) }}', options: {}, requestOptions: { maxRetryWait: 60 } }, credentialId),
		],
		connections: { ...link('Webhook', 'Users'), ...link('Users', 'Update users') },
		settings: { executionOrder: 'v1' },
	};
}

/**
 * Body {users, tier}: Update User straight from the webhook (no Code node: n8n's task runner, started on
 * demand, would hold executions back and release them together); its own credential and webhook path.
 */
export function updateUsersDirect(id: string, credentialId = EXAMPLE_CREDENTIAL.id): WorkflowJson {
	return {
		id,
		name: `queue: update users from the webhook (${id})`,
		nodes: [
			webhookNode('Webhook', `queue-${id}`),
			fanPass('Update users', { resource: 'user', operation: 'update', userId: '={{ $json.body.users }}', propertiesInput: 'json', propertiesJson: '={{ JSON.stringify({ loyalty_tier: $json.body.tier }) }}', options: {}, requestOptions: { maxRetryWait: 60 } }, credentialId),
		],
		connections: link('Webhook', 'Update users'),
		settings: { executionOrder: 'v1' },
	};
}

/** Upload a CSV made in a Code node, then Wait for Import (stopped by the suite while it waits). */
export const uploadAndWait: WorkflowJson = {
	id: 'queueUploadAndWait',
	name: 'queue: upload and wait for import',
	nodes: [
		webhookNode('Webhook', 'queue-upload-wait'),
		code('CSV', "const csv = 'user_id\\n' + Array.from({ length: 5 }, (_, i) => `w${i}`).join('\\n') + '\\n';\nreturn [{ json: {}, binary: { data: { data: Buffer.from(csv).toString('base64'), mimeType: 'text/csv', fileName: 'wait.csv', fileExtension: 'csv' } } }];"),
		fanPass('Upload segment file', { resource: 'segment', operation: 'uploadFile', title: 'Waiting', tag: 'waiting', sourceType: 0, fileSource: 'binary', binaryPropertyName: 'data', options: {} }),
		{ ...fanPass('Wait for import', { resource: 'segment', operation: 'waitForImport', importId: '={{ $json.importId }}', options: { pollInterval: 0.25, maxWait: 120 } }), position: [600, 0] },
	],
	connections: { ...link('Webhook', 'CSV'), ...link('CSV', 'Upload segment file'), ...link('Upload segment file', 'Wait for import') },
	settings: { executionOrder: 'v1' },
};

/** Credentials for the rate-limit comparison: the same token and host as the example's, each its own id. */
export const RATE_CREDENTIALS = Array.from({ length: 12 }, (_, i) => `fanpass-rate-${i}`);

export function queueWorkflows(): WorkflowJson[] {
	const list = examples();
	const scheduled = readWorkflows(path.join(ROOT, 'examples')).find((w) => w.nodes.some((n) => n.type === 'n8n-nodes-base.scheduleTrigger'));
	return [
		...list.map(asWebhook),
		...(scheduled ? [everySecond(scheduled)] : []),
		binaryUpload,
		segmentAndUsers,
		updateUsersDirect('queueUpdateShared'),
		...RATE_CREDENTIALS.map((credential, i) => updateUsersDirect(`queueUpdateOwn${i}`, credential)),
		updateUsers('queueLongUpdate'),
		uploadAndWait,
	];
}
