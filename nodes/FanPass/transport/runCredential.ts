import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type ICredentialsDecrypted,
	type IExecuteFunctions,
} from 'n8n-workflow';

import { normaliseBaseUrl } from './baseUrl';

export const CREDENTIAL_NAME = 'fanPassApi';

/** The FanPass credential as one run uses it: read, decrypted and checked once. */
export interface RunCredential {
	/** The API Host, normalised (no trailing slash) and checked. */
	baseUrl: string;
	/** Passed to httpRequestWithAuthentication, so n8n does not read and decrypt it again per request. */
	decrypted: ICredentialsDecrypted;
}

const runs = new WeakMap<object, Promise<RunCredential>>();

async function load(context: IExecuteFunctions): Promise<RunCredential> {
	const data: ICredentialDataDecryptedObject = await context.getCredentials(CREDENTIAL_NAME);
	let baseUrl: string;
	try {
		baseUrl = normaliseBaseUrl(data.baseUrl, data.allowInsecureHttp === true);
	} catch (error) {
		throw new NodeOperationError(context.getNode(), (error as Error).message);
	}
	const saved = context.getNode().credentials?.[CREDENTIAL_NAME];
	return {
		baseUrl,
		decrypted: { id: saved?.id ?? '', name: saved?.name ?? '', type: CREDENTIAL_NAME, data },
	};
}

/**
 * The run's credential, loaded on first use and shared by every request of the run (keyed by the
 * execute context, which n8n creates per node run). n8n would otherwise read it from the database,
 * decrypt it and resolve its expressions on every request.
 */
export function runCredential(context: IExecuteFunctions): Promise<RunCredential> {
	let loaded = runs.get(context);
	if (!loaded) {
		loaded = load(context);
		runs.set(context, loaded);
		loaded.catch(() => runs.delete(context));
	}
	return loaded;
}
