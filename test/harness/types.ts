import type {
	ICredentialType,
	IDataObject,
	INodeExecutionData,
	INodeType,
	IVersionedNodeType,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import type { BinaryMode } from './binary-data';
import type { ProcessedDataStore } from './processed-data';

export interface InputBinaryFile {
	property: string;
	fileName: string;
	mimeType?: string;
	data: Buffer;
	/** Drop the exact `bytes` n8n 2.x records, as n8n 1.x stores a binary (only a rounded fileSize text). */
	withoutBytes?: boolean;
}

export interface InputItem {
	json: IDataObject;
	binary?: InputBinaryFile[];
}

export interface RunNodeOptions {
	/** The node under test, e.g. `new FanPass()`. */
	node: INodeType | IVersionedNodeType;
	/** Every credential type the node may use, e.g. `[new FanPassApi()]`. */
	credentialTypes: ICredentialType[];
	/** Decrypted credential data by credential type name, e.g. `{ fanPassApi: { apiToken, baseUrl } }`. */
	credentials?: Record<string, IDataObject>;
	/** The node's parameters, as they would be stored in the workflow. */
	parameters: IDataObject;
	/** Items the upstream source node emits into the node under test. */
	items: InputItem[];
	/** Sets `onError: 'continueRegularOutput'` on the node under test. */
	continueOnFail?: boolean;
	/** n8n binary data mode; 'filesystem' stores under a per-run temp dir. Default 'default'. */
	binaryMode?: BinaryMode;
	/** Defaults to the node type's latest version. */
	typeVersion?: number;
	/** Aborting cancels the execution the way n8n's "stop execution" does. */
	abortSignal?: AbortSignal;
	/** The workflow's static data as n8n loads it from the database before a run. */
	staticData?: IDataObject;
	/** The execution mode; default 'manual'. 'trigger' or 'webhook' run like production runs. */
	mode?: WorkflowExecuteMode;
	/** n8n's deduplication store (its `processed_data` table); default: an empty one for this run. */
	processedData?: ProcessedDataStore;
}

/** What n8n attaches to node errors (NodeApiError / NodeOperationError); all optional. */
export type NodeErrorDetails = Error & {
	description?: string | null;
	httpCode?: string | null;
	context?: IDataObject;
	level?: string;
	messages?: string[];
	node?: { name: string; type: string };
	cause?: unknown;
};

export interface RunNodeResult {
	/** main[0] of the node under test ([] if it produced nothing). */
	output: INodeExecutionData[];
	/** All outputs of the node under test. */
	outputs: INodeExecutionData[][];
	/**
	 * The error n8n recorded for the node under test when it threw (rebuilt on its n8n class, so
	 * `instanceof NodeApiError` works), else the execution's error (e.g. a cancellation, or a
	 * failure in the source node). With continueOnFail n8n passes the input items through after
	 * a throw, and the recorded error is still reported here.
	 */
	error?: NodeErrorDetails;
	/** 'success' | 'error' | 'canceled' | ... as n8n reports it. */
	status: string;
	/** Reads an output binary (default property 'data') in either binary mode. */
	readBinary(item: INodeExecutionData, property?: string): Promise<Buffer>;
	/** Every line logged through n8n's loggers (LoggerProxy and the DI Logger) during the run. */
	logs: string[];
	/**
	 * The static data n8n would hold in the database after the run: the changed static data
	 * (JSON round-tripped like a database column) when the run was not manual, else `staticData`
	 * as given (n8n's hookFunctionsSave / hookFunctionsSaveWorker skip manual runs).
	 */
	staticData: IDataObject;
}

export interface TestCredentialOptions {
	credentialType: ICredentialType;
	data: IDataObject;
}

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}
