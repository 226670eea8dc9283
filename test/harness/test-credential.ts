import { Container } from '@n8n/di';
import { ErrorReporter, ExecuteContext, RoutingNode } from 'n8n-core';
import type {
	ICredentialsDecrypted,
	ICredentialTestRequest,
	IExecuteData,
	INode,
	INodeExecutionData,
	INodeType,
	IWorkflowBase,
} from 'n8n-workflow';
import { Workflow, createRunExecutionData } from 'n8n-workflow';

import { createAdditionalData } from './additional-data';
import { CredentialTypeRegistry } from './credential-types';
import {
	CREDENTIAL_TEST_NODE_TYPE,
	HarnessCredentialsHelper,
	asCredentialData,
} from './credentials-helper';
import { ensureEnvironment } from './environment';
import { HarnessNodeTypes } from './node-types';
import type { CredentialTestResult, TestCredentialOptions } from './types';

/** Stand-in for n8n-nodes-base's NoOp, which CredentialsTester wraps around the test request. */
const NO_OP_NODE_TYPE: INodeType = {
	description: {
		displayName: 'No Operation, do nothing',
		name: CREDENTIAL_TEST_NODE_TYPE,
		group: ['organization'],
		version: 1,
		description: 'No Operation',
		defaults: { name: 'No Operation, do nothing' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	},
};

/** lodash `get` for the dotted / bracketed keys of `responseSuccessBody` rules. */
function getPath(value: unknown, path: string): unknown {
	return path
		.replace(/\[(\w+)\]/g, '.$1')
		.split('.')
		.filter(Boolean)
		.reduce<unknown>(
			(current, key) =>
				current !== null && typeof current === 'object'
					? (current as Record<string, unknown>)[key]
					: undefined,
			value,
		);
}

interface HttpErrorCause {
	response?: { status: number; statusText?: string };
	code?: string;
}

/**
 * The catch branch of CredentialsTester.testCredentials: `responseCode` rules first, then any
 * non-2xx becomes its status text (or "Received HTTP status code: N"), network errors their
 * code, anything else its message.
 */
function resultFromError(error: Error & { cause?: HttpErrorCause }, test: ICredentialTestRequest) {
	const response = error.cause?.response;
	if (response) {
		const statusCode = response.status;
		for (const rule of test.rules ?? []) {
			if (rule.type === 'responseCode' && statusCode === rule.properties.value) {
				return { status: 'Error' as const, message: rule.properties.message };
			}
		}
		if (statusCode < 199 || statusCode > 299) {
			return {
				status: 'Error' as const,
				message: response.statusText || `Received HTTP status code: ${statusCode}`,
			};
		}
	} else if (error.cause?.code) {
		return { status: 'Error' as const, message: error.cause.code };
	}
	return { status: 'Error' as const, message: error.message.toString() };
}

/**
 * Tests credentials the way n8n's CredentialsTester does for a credential type with a
 * declarative `test`: the request is attached as routing to a temporary NoOp-derived node and
 * executed by n8n-core's RoutingNode (expressions, authenticate, ignoreHttpStatusErrors and
 * n8n's HTTP error handling all come from n8n-core), then `rules` are applied.
 */
export async function testCredential(
	options: TestCredentialOptions,
): Promise<CredentialTestResult & { logs: string[] }> {
	const { logger } = ensureEnvironment();
	const logs = logger.capture();
	try {
		return { ...(await runCredentialTest(options)), logs };
	} finally {
		logger.stopCapture();
	}
}

async function runCredentialTest({
	credentialType,
	data,
}: TestCredentialOptions): Promise<CredentialTestResult> {
	const { test } = credentialType;
	if (!test) return { status: 'Error', message: 'No testing function found for this credential.' };

	const typeName = credentialType.name;
	const credentialsHelper = new HarnessCredentialsHelper(
		new CredentialTypeRegistry([credentialType]),
		{ [typeName]: structuredClone(data) },
	);

	const node: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: NO_OP_NODE_TYPE.description.name,
		typeVersion: 1,
		position: [0, 0],
		credentials: { [typeName]: { id: 'harness', name: `${typeName} (harness)` } },
	};
	const nodeTypeCopy: INodeType = {
		description: {
			...NO_OP_NODE_TYPE.description,
			credentials: [{ name: typeName, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: test.request },
					default: '',
				},
			],
		},
	};
	const now = new Date();
	const workflowData: IWorkflowBase = {
		id: 'credential-test',
		name: 'Credential test',
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: now,
		updatedAt: now,
		nodes: [node],
		connections: {},
	};
	const additionalData = createAdditionalData({
		credentialsHelper,
		executionId: 'credential-test',
		mode: 'internal',
		workflowData,
	});
	additionalData.currentNodeParameters = node.parameters;

	let credentialsDecrypted: ICredentialsDecrypted;
	try {
		credentialsDecrypted = {
			id: 'harness',
			name: `${typeName} (harness)`,
			type: typeName,
			data: credentialsHelper.applyDefaults(
				additionalData,
				asCredentialData(data),
				typeName,
				'internal',
			),
		};
	} catch (error) {
		return { status: 'Error', message: (error as Error).message.toString() };
	}

	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new HarnessNodeTypes().register(node.type, nodeTypeCopy),
	});
	const executeData: IExecuteData = { node, data: {}, source: null };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		executeData,
		[],
	);
	const routingNode = new RoutingNode(context, nodeTypeCopy, credentialsDecrypted);

	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await routingNode.runNode();
	} catch (error) {
		Container.get(ErrorReporter).error(error);
		return resultFromError(error as Error & { cause?: HttpErrorCause }, test);
	}

	for (const rule of test.rules ?? []) {
		if (rule.type !== 'responseSuccessBody') continue;
		const responseData = response?.[0]?.[0]?.json;
		if (getPath(responseData, rule.properties.key) === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}
