import { WorkflowExecute } from 'n8n-core';
import type {
	IConnections,
	IDataObject,
	INode,
	INodeCredentials,
	INodeParameters,
	INodeType,
	IRun,
	IVersionedNodeType,
	IWorkflowBase,
} from 'n8n-workflow';
import {
	ExpressionError,
	ManualExecutionCancelledError,
	NodeApiError,
	NodeHelpers,
	NodeOperationError,
	TimeoutExecutionCancelledError,
	Workflow,
	createRunExecutionData,
} from 'n8n-workflow';

import { name as packageName } from '../../package.json';
import { createAdditionalData } from './additional-data';
import { setUpBinaryData } from './binary-data';
import { CredentialTypeRegistry } from './credential-types';
import { HarnessCredentialsHelper } from './credentials-helper';
import { ensureEnvironment } from './environment';
import { HarnessNodeTypes, latestVersion } from './node-types';
import { ProcessedDataStore, useProcessedData } from './processed-data';
import { SOURCE_NODE_TYPE, createSourceNodeType } from './source-node';
import type { NodeErrorDetails, RunNodeOptions, RunNodeResult } from './types';

const SOURCE_NODE_NAME = 'Test Source';
const WORKFLOW_ID = 'harness-workflow';

let executionCounter = 0;

/** n8n registers community nodes as `<package name>.<description.name>`. */
function fullTypeName(type: INodeType | IVersionedNodeType): string {
	const { name } = type.description;
	return name.includes('.') ? name : `${packageName}.${name}`;
}

/** n8n error classes a recorded error can be rebuilt as, by their `name`. */
const ERROR_CLASSES: Record<string, { prototype: object }> = {
	NodeApiError,
	NodeOperationError,
	ExpressionError,
	ManualExecutionCancelledError,
	TimeoutExecutionCancelledError,
};

/**
 * WorkflowExecute records errors as serialisable copies (`{ ...error, message, stack }`), which
 * drops the prototype. Rebuild them on their n8n class so `instanceof NodeApiError` and friends
 * work; every field n8n stored (description, httpCode, context, ...) is kept as recorded.
 */
function asError(recorded: unknown): NodeErrorDetails | undefined {
	if (recorded === undefined || recorded === null) return undefined;
	if (recorded instanceof Error) return recorded;
	const fields = recorded as { name?: string };
	const prototype = ERROR_CLASSES[fields.name ?? '']?.prototype ?? Error.prototype;
	return Object.assign(Object.create(prototype) as Error, fields) as NodeErrorDetails;
}

function buildWorkflow(options: RunNodeOptions) {
	const typeName = fullTypeName(options.node);
	const typeVersion = options.typeVersion ?? latestVersion(options.node);
	const { description } = NodeHelpers.getVersionedNodeType(options.node, typeVersion);

	// Attach every credential the test provides; n8n-core still checks the node declares it.
	const credentials: INodeCredentials = {};
	for (const type of Object.keys(options.credentials ?? {})) {
		credentials[type] = { id: `harness-${type}`, name: `${type} (harness)` };
	}

	const source: INode = {
		id: 'source',
		name: SOURCE_NODE_NAME,
		type: SOURCE_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const underTest: INode = {
		id: 'node-under-test',
		name: description.defaults.name ?? description.displayName,
		type: typeName,
		typeVersion,
		position: [250, 0],
		parameters: structuredClone(options.parameters) as INodeParameters,
		// Like a node saved without credentials, rather than with an empty map.
		...(Object.keys(credentials).length ? { credentials } : {}),
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
	const connections: IConnections = {
		[source.name]: { main: [[{ node: underTest.name, type: 'main', index: 0 }]] },
	};

	const nodeTypes = new HarnessNodeTypes()
		.register(SOURCE_NODE_TYPE, createSourceNodeType(options.items))
		.register(typeName, options.node);
	const settings = { executionOrder: 'v1' as const };
	const now = new Date();
	const workflowData: IWorkflowBase = {
		id: WORKFLOW_ID,
		name: 'Harness workflow',
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: now,
		updatedAt: now,
		nodes: [source, underTest],
		connections,
		settings,
	};
	const workflow = new Workflow({
		id: WORKFLOW_ID,
		name: workflowData.name,
		nodes: structuredClone([source, underTest]),
		connections,
		active: false,
		nodeTypes,
		settings,
		staticData: structuredClone(options.staticData ?? {}),
	});
	return { workflow, workflowData, nodeName: underTest.name };
}

/** Runs execution to completion, cancelling it (like n8n's "stop") if the signal aborts. */
async function execute(workflowExecute: WorkflowExecute, workflow: Workflow, signal?: AbortSignal) {
	const execution = workflowExecute.processRunExecutionData(workflow);
	const cancel = () => execution.cancel();
	if (signal?.aborted) cancel();
	signal?.addEventListener('abort', cancel, { once: true });
	try {
		return await execution;
	} finally {
		signal?.removeEventListener('abort', cancel);
	}
}

/**
 * Runs `options.node` inside a real n8n-core WorkflowExecute, fed by a source node, with real
 * ExecuteContext helpers (HTTP, credentials, binary data) and returns its output.
 */
export async function runNode(options: RunNodeOptions): Promise<RunNodeResult> {
	const { logger } = ensureEnvironment();
	const logs = logger.capture();
	try {
		const binaryData = await setUpBinaryData(options.binaryMode ?? 'default');
		const mode = options.mode ?? 'manual';
		await useProcessedData(options.processedData ?? new ProcessedDataStore());
		const { workflow, workflowData, nodeName } = buildWorkflow(options);
		const credentialsHelper = new HarnessCredentialsHelper(
			new CredentialTypeRegistry(options.credentialTypes),
			structuredClone(options.credentials ?? {}),
		);
		const additionalData = createAdditionalData({
			credentialsHelper,
			executionId: String(++executionCounter),
			mode,
			workflowData,
		});
		// What the CLI's save hooks do with the static data WorkflowExecute hands them.
		let staticData = structuredClone(options.staticData ?? {});
		additionalData.hooks?.addHandler('workflowExecuteAfter', (_run, newStaticData) => {
			if (mode !== 'manual' && newStaticData) staticData = JSON.parse(JSON.stringify(newStaticData)) as IDataObject;
		});

		const sourceNode = workflow.getNode(SOURCE_NODE_NAME) as INode;
		const runExecutionData = createRunExecutionData({
			executionData: {
				nodeExecutionStack: [{ node: sourceNode, data: { main: [[{ json: {} }]] }, source: null }],
			},
		});
		const workflowExecute = new WorkflowExecute(additionalData, mode, runExecutionData);
		const run: IRun = await execute(workflowExecute, workflow, options.abortSignal);

		const taskData = run.data.resultData.runData[nodeName]?.at(-1);
		const outputs = (taskData?.data?.main ?? []).map((output) => output ?? []);
		return {
			output: outputs[0] ?? [],
			outputs,
			error: asError(taskData?.error ?? run.data.resultData.error),
			status: run.status,
			logs,
			staticData,
			async readBinary(item, property = 'data') {
				const binary = item.binary?.[property];
				if (!binary) throw new Error(`Item has no binary property "${property}"`);
				return await binaryData.service.getAsBuffer(binary);
			},
		};
	} finally {
		logger.stopCapture();
	}
}
