import { ExecutionLifecycleHooks, ExternalSecretsProxy } from 'n8n-core';
import type {
	ICredentialsHelper,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { UnexpectedError } from 'n8n-workflow';

const notAvailable = (feature: string) => async (): Promise<never> => {
	throw new UnexpectedError(`${feature} is not available in the test harness`);
};

/**
 * The per-execution services n8n's CLI provides (WorkflowExecuteAdditionalData.getBase):
 * the credentials helper, lifecycle hooks and URLs. Sub-workflows, task runners and AI
 * logging are out of scope and fail loudly if a node reaches for them.
 */
export function createAdditionalData(options: {
	credentialsHelper: ICredentialsHelper;
	executionId: string;
	mode: WorkflowExecuteMode;
	workflowData: IWorkflowBase;
}): IWorkflowExecuteAdditionalData {
	const { credentialsHelper, executionId, mode, workflowData } = options;
	const baseUrl = 'http://localhost:5678';
	return {
		credentialsHelper,
		executionId,
		workflowId: workflowData.id,
		hooks: new ExecutionLifecycleHooks(mode, executionId, workflowData),
		externalSecretsProxy: new ExternalSecretsProxy(),
		currentNodeExecutionIndex: 0,
		currentNodeParameters: undefined,
		variables: {},
		restApiUrl: `${baseUrl}/rest`,
		instanceBaseUrl: baseUrl,
		formBaseUrl: `${baseUrl}/form`,
		formWaitingBaseUrl: `${baseUrl}/form-waiting`,
		formTestBaseUrl: `${baseUrl}/form-test`,
		webhookBaseUrl: `${baseUrl}/webhook`,
		webhookWaitingBaseUrl: `${baseUrl}/webhook-waiting`,
		webhookTestBaseUrl: `${baseUrl}/webhook-test`,
		mcpBaseUrl: `${baseUrl}/mcp`,
		mcpTestBaseUrl: `${baseUrl}/mcp-test`,
		executeWorkflow: notAvailable('Executing sub-workflows'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: notAvailable('Task runners'),
		logAiEvent: () => {},
	};
}
