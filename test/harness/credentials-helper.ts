import { Credentials, getAdditionalKeys } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialsExpressionResolveValues,
	IDataObject,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import type { Workflow } from 'n8n-workflow';
import { ICredentialsHelper, NodeHelpers } from 'n8n-workflow';

import type { CredentialTypeRegistry } from './credential-types';
import { expressionOnlyWorkflow } from './node-types';

/**
 * Tests pass credential data as plain IDataObjects; n8n types decrypted data more narrowly
 * (no null/undefined values) but treats it the same at runtime.
 */
export function asCredentialData(data: IDataObject): ICredentialDataDecryptedObject {
	return data as ICredentialDataDecryptedObject;
}

/** Node type n8n's CredentialsTester runs the test request as (see isTestingCredentials). */
export const CREDENTIAL_TEST_NODE_TYPE = 'n8n-nodes-base.noOp';

/**
 * In-memory equivalent of the CLI's CredentialsHelper: credential data comes from the test
 * instead of the database, everything else (defaults, expression resolution, generic/function
 * `authenticate`, `preAuthentication` with an expirable property) follows n8n's implementation.
 */
export class HarnessCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly credentialTypes: CredentialTypeRegistry,
		private readonly store: Record<string, IDataObject>,
	) {
		super();
	}

	getParentTypes(name: string): string[] {
		return this.credentialTypes.getParentTypes(name);
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		try {
			const type = this.credentialTypes.getByName(credentialType);
			if (!type.restrictToSupportedNodes) return true;
			const shortName = nodeType.slice(nodeType.lastIndexOf('.') + 1);
			return (type.supportedNodes ?? []).some((name) => name === nodeType || name === shortName);
		} catch {
			return true;
		}
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.credentialTypes.getProperties(type);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions as IHttpRequestOptions;
		const { authenticate } = this.credentialTypes.getByName(typeName);
		if (!authenticate) return requestOptions;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);

		requestOptions.headers ??= {};
		if (authenticate.type !== 'generic') return requestOptions;

		// Same loop as n8n: every `properties.<target>.<key>` is an expression over $credentials,
		// written into requestOptions[target] (headers, qs, body, auth, ...).
		const target = requestOptions as unknown as Record<string, IDataObject | undefined>;
		for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
			for (const [key, value] of Object.entries(outerValue as IDataObject)) {
				const resolvedKey = this.resolveValue(key, credentials, workflow, node);
				const resolvedValue = this.resolveValue(value, credentials, workflow, node);
				const bucket = (target[outerKey] ??= {});
				bucket[resolvedKey] = resolvedValue;
			}
		}
		return requestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialTypes.getByName(typeName);
		const expirable = credentialType.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (expirable === undefined || typeof credentialType.preAuthentication !== 'function') {
			return undefined;
		}

		const isTestingCredentials =
			node?.parameters?.temp === '' && node?.type === CREDENTIAL_TEST_NODE_TYPE;
		if (credentials[expirable.name] !== '' && !credentialsExpired && !isTestingCredentials) {
			return undefined;
		}

		const output = await credentialType.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		if (!node.credentials) return undefined;

		const updated = Object.assign(credentials, output);
		// n8n persists the refreshed token; here the "database" is the in-memory store.
		await this.updateCredentials(node.credentials[typeName], typeName, updated);
		return updated;
	}

	/** Used by n8n-core for OAuth2 token refreshes: runs preAuthentication without persisting. */
	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const { preAuthentication } = this.credentialTypes.getByName(typeName);
		if (typeof preAuthentication !== 'function') return undefined;
		return asCredentialData(await preAuthentication.call(helpers, credentials));
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		const credentials = new Credentials(nodeCredentials, type);
		await credentials.setData(asCredentialData(this.store[type] ?? {}));
		return credentials;
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.store[type];
		if (data === undefined) throw new Error(`No credentials of type "${type}" given to the harness`);
		if (raw === true) return asCredentialData({ ...data });
		return this.applyDefaults(additionalData, asCredentialData(data), type, mode, executeData, expressionResolveValues);
	}

	/**
	 * n8n's applyDefaultsAndOverwrites (without overwrites): fills in property defaults, then
	 * resolves expressions inside the credential data itself.
	 */
	applyDefaults(
		additionalData: IWorkflowExecuteAdditionalData,
		data: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): ICredentialDataDecryptedObject {
		const withDefaults = (NodeHelpers.getNodeParameters(
			this.getCredentialsProperties(type),
			data as INodeParameters,
			true,
			false,
			null,
			null,
		) ?? {}) as ICredentialDataDecryptedObject;
		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });

		if (expressionResolveValues) {
			const { workflow, runExecutionData, runIndex, itemIndex, node, connectionInputData } =
				expressionResolveValues;
			return workflow.expression.getParameterValue(
				withDefaults as INodeParameters,
				runExecutionData,
				runIndex,
				itemIndex,
				node.name,
				connectionInputData,
				mode,
				additionalKeys,
				executeData,
				false,
				withDefaults,
			) as ICredentialDataDecryptedObject;
		}
		const { workflow, node } = expressionOnlyWorkflow();
		return workflow.expression.getComplexParameterValue(
			node,
			withDefaults as INodeParameters,
			mode,
			additionalKeys,
			undefined,
			undefined,
			withDefaults,
		) as ICredentialDataDecryptedObject;
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store[type] = { ...data };
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		await this.updateCredentials(nodeCredentials, type, data);
	}

	/** n8n's resolveValue: only strings starting with '=' are expressions; falsy results become ''. */
	private resolveValue(
		value: unknown,
		credentials: ICredentialDataDecryptedObject,
		workflow?: Workflow,
		node?: INode,
	): string {
		if (typeof value !== 'string' || value.charAt(0) !== '=') return value as string;
		const context = workflow && node ? { workflow, node } : expressionOnlyWorkflow();
		const resolved = context.workflow.expression.getSimpleParameterValue(
			context.node,
			value,
			'internal',
			{ $credentials: credentials },
			undefined,
			'',
		);
		return resolved ? resolved.toString() : '';
	}
}
