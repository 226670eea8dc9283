export { runNode } from './run-node';
export { testCredential } from './test-credential';
export { cleanupHarness } from './environment';
export { ProcessedDataStore } from './processed-data';
export type { BinaryMode } from './binary-data';
export type {
	CredentialTestResult,
	InputBinaryFile,
	InputItem,
	NodeErrorDetails,
	RunNodeOptions,
	RunNodeResult,
	TestCredentialOptions,
} from './types';
