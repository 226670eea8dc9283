/**
 * The benchmark's workflows: Manual Trigger → "Generate input" (Code) → the side under test; for a case run
 * as production executions (case 8), Webhook → "Split Out" (the body's users, one item each) → the side.
 *
 * - fanpass:  one FanPass node (version 2, what the nodes panel adds today) with its defaults (only the File Mode Threshold scales with --quick).
 * - baseline: what a user builds without the package: a Code node that aggregates (all IDs into one
 *   body or one CSV file for a segment, users grouped by property set for update_user) and n8n's HTTP
 *   Request node with a Header Auth credential, its Batching option and the "Retry On Fail" setting.
 */
import type { WorkflowJson } from '../n8n-runtime/n8nCli';
import { generatorCode, idAccess, SEGMENT, type ContactsInput, type Input } from './inputs';

/**
 * fanpass: the FanPass node; fanpass-legacy-expr: the same workflow with n8n's legacy expression engine
 * (N8N_EXPRESSION_ENGINE=legacy), to show what per-item expressions cost; the others are baselines built
 * from the HTTP Request node.
 */
export type Side = 'fanpass' | 'fanpass-skip' | 'fanpass-legacy-expr' | 'fanpass-c1' | 'fanpass-c8' | 'fanpass-queue' | 'fanpass-regular' | 'http-json' | 'http-csv' | 'http-grouped';

export const isFanPass = (side: Side): boolean => side.startsWith('fanpass');

/** Environment a side's n8n runs with, on top of the benchmark's own. */
export const SIDE_ENV: Partial<Record<Side, NodeJS.ProcessEnv>> = { 'fanpass-legacy-expr': { N8N_EXPRESSION_ENGINE: 'legacy' } };

export const SIDE_LABELS: Record<Side, string> = {
	fanpass: 'FanPass node',
	'fanpass-skip': 'FanPass node, Skip Unchanged Users',
	'fanpass-legacy-expr': 'FanPass node, legacy expression engine',
	'fanpass-c1': 'FanPass node, Concurrent Requests 1',
	'fanpass-c8': 'FanPass node, Concurrent Requests 8',
	'fanpass-queue': 'FanPass node, queue mode (main + 2 workers)',
	'fanpass-regular': 'FanPass node, regular mode (one main)',
	'http-json': 'HTTP Request, one JSON body',
	'http-csv': 'HTTP Request, one CSV file',
	'http-grouped': 'HTTP Request, grouped by property set',
};

/** Update User's options per side (the others keep the node's defaults, e.g. Concurrent Requests 4). */
const USER_OPTIONS: Partial<Record<Side, Record<string, unknown>>> = {
	'fanpass-skip': { skipUnchanged: true },
	'fanpass-c1': { concurrency: 1 },
	'fanpass-c8': { concurrency: 8 },
};

export const CREDENTIALS = {
	fanPass: { id: 'benchFanPass', name: 'FanPass Sandbox (bench)' },
	headerAuth: { id: 'benchHeaderAuth', name: 'FanPass token as a header (bench)' },
};

/** What a careful user sets on an HTTP Request node that talks to a rate-limited API. */
export const BASELINE_SETTINGS = {
	/** Options → Batching: 50 items per batch (n8n's default), 100 ms apart (n8n's default is 1000 ms). */
	batching: { batchSize: 50, batchInterval: 100 },
	/** Settings → Retry On Fail with n8n's defaults: 3 tries, 1000 ms apart (reruns the whole node). */
	retry: { retryOnFail: true, maxTries: 3, waitBetweenTries: 1000 },
};

type WorkflowNode = WorkflowJson['nodes'][number];

let nodeCounter = 0;
function node(name: string, type: string, typeVersion: number, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}): WorkflowNode {
	nodeCounter++;
	return {
		id: `b0000000-0000-4000-8000-${String(nodeCounter).padStart(12, '0')}`,
		name,
		type,
		typeVersion,
		position: [nodeCounter * 220, 0],
		parameters,
		...extra,
	};
}

const code = (name: string, jsCode: string) => node(name, 'n8n-nodes-base.code', 2, { mode: 'runOnceForAllItems', jsCode });

function chain(id: string, name: string, nodes: WorkflowNode[]): WorkflowJson {
	const connections: Record<string, unknown> = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	return { id, name, active: false, nodes, connections, settings: { executionOrder: 'v1' }, pinData: {} };
}

function httpRequest(name: string, url: string, body: Record<string, unknown>, batching: boolean): WorkflowNode {
	return node(
		name,
		'n8n-nodes-base.httpRequest',
		4.2,
		{
			method: 'POST',
			url,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			sendBody: true,
			...body,
			options: batching ? { batching: { batch: BASELINE_SETTINGS.batching } } : {},
		},
		{ ...BASELINE_SETTINGS.retry, credentials: { httpHeaderAuth: CREDENTIALS.headerAuth } },
	);
}

const jsonBody = { contentType: 'json', specifyBody: 'json', jsonBody: '={{ JSON.stringify($json) }}' };

const collectIds = (input: ContactsInput) => `// FanPass replaces a segment's members on every call: all IDs must go in one request
const userIds = [...new Set(${idAccess(input).code})];
return [{ json: { title: ${JSON.stringify(SEGMENT.title)}, tag: ${JSON.stringify(SEGMENT.tag)}, sourceType: 0, userIds } }];`;

const buildCsv = (input: ContactsInput) => `// One JSON body of every ID can exceed FanPass's 10 MB, so send the IDs as one CSV file
const ids = [...new Set(${idAccess(input).code})];
const csv = 'user_id\\n' + ids.join('\\n') + '\\n';
return [{ json: { count: ids.length }, binary: { data: { data: Buffer.from(csv).toString('base64'), mimeType: 'text/csv', fileName: 'segment.csv' } } }];`;

const GROUP_USERS = `// update_user applies one property set to many users: one request per distinct set
const groups = new Map();
for (const item of $input.all()) {
  const key = JSON.stringify(item.json.properties);
  let group = groups.get(key);
  if (!group) groups.set(key, (group = { userIds: [], userProperties: item.json.properties }));
  group.userIds.push(String(item.json.userId));
}
return [...groups.values()].map((json) => ({ json }));`;

export interface BenchWorkflow {
	workflow: WorkflowJson;
	/** the nodes that do the side's work (everything but the trigger and the input generator) */
	workNodes: string[];
	/** the node whose output is the side's result */
	lastNode: string;
}

/** The production webhook of a case's side (POST /webhook/<path>). */
export const webhookPath = (caseId: string, side: Side): string => `bench-${caseId}-${side}`;

/**
 * The Webhook answers when the last node has finished (n8n's "When Last Node Finishes", no data in the
 * answer), so that a caller's wait is the execution's, in queue mode too; Split Out makes the body's users
 * one item each (a regular node: no Code node, whose task runner would start on demand in every worker).
 */
function webhookTrigger(caseId: string, side: Side): WorkflowNode[] {
	const hookPath = webhookPath(caseId, side);
	return [
		node('Webhook', 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path: hookPath, responseMode: 'lastNode', responseData: 'noData', options: {} }, { webhookId: `${hookPath}-webhook-id` }),
		node('Split Out', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'body.users', include: 'noOtherFields', options: {} }),
	];
}

/** options.webhook: the input arrives as production webhook calls, each with a slice of the users (case 8). */
export function buildWorkflow(caseId: string, side: Side, input: Input, sandboxUrl: string, fileModeThreshold: number, options: { webhook?: boolean } = {}): BenchWorkflow {
	nodeCounter = 0;
	const start = options.webhook ? webhookTrigger(caseId, side) : [node('Start', 'n8n-nodes-base.manualTrigger', 1, {}), code('Generate input', generatorCode(input))];
	// n8n 1.x saves static data (Skip Unchanged's memory) only for workflow IDs of at most 16 characters
	const id = `b${caseId}${side}`.replace(/\W/g, '').slice(0, 16);
	const name = `bench case ${caseId}: ${side}`;
	let work: WorkflowNode[];
	if (isFanPass(side)) {
		const parameters =
			input.kind === 'contacts'
				? { resource: 'segment', operation: 'upsert', title: SEGMENT.title, tag: SEGMENT.tag, sourceType: 0, userIdSource: 'items', userId: idAccess(input).expression, options: { fileModeThreshold } }
				: { resource: 'user', operation: 'update', userId: '={{ $json.userId }}', propertiesInput: 'json', propertiesJson: '={{ $json.properties }}', options: USER_OPTIONS[side] ?? {} };
		work = [node('FanPass', 'n8n-nodes-fanpass.fanPass', 2, parameters, { credentials: { fanPassApi: CREDENTIALS.fanPass } })];
	} else if (side === 'http-grouped') {
		work = [code('Group users by property set', GROUP_USERS), httpRequest('HTTP Request', `${sandboxUrl}/api/v1/update_user`, jsonBody, true)];
	} else if (side === 'http-json') {
		work = [code('Collect IDs into one body', collectIds(input as ContactsInput)), httpRequest('HTTP Request', `${sandboxUrl}/api/v1/segments`, jsonBody, false)];
	} else {
		const multipart = {
			contentType: 'multipart-form-data',
			bodyParameters: {
				parameters: [
					{ parameterType: 'formBinaryData', name: 'file', inputDataFieldName: 'data' },
					{ parameterType: 'formData', name: 'title', value: SEGMENT.title },
					{ parameterType: 'formData', name: 'tag', value: SEGMENT.tag },
				],
			},
		};
		work = [code('Build one CSV file', buildCsv(input as ContactsInput)), httpRequest('HTTP Request', `${sandboxUrl}/api/v1/segments`, multipart, false)];
	}
	return { workflow: chain(id, name, [...start, ...work]), workNodes: work.map((n) => n.name), lastNode: work[work.length - 1].name };
}
