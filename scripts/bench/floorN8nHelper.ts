/**
 * The floor of n8n's own request function: the same requests sent through the `httpRequest` that the
 * installed n8n's `this.helpers.httpRequestWithAuthentication` ends in (2.x: @n8n/backend-network;
 * 1.x: n8n-core's request helper functions), with the options the node passes, one at a time, each
 * answer read as a stream to its end. It leaves out what only a node has (the credential, the execution
 * context), so node ÷ this is the node's own share.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';

import type { FloorRequest } from './floorClient';

type N8nHttpRequest = (options: Record<string, unknown>) => Promise<{ statusCode: number; body: Readable }>;

/** Where each major version keeps the function, under the installed app's node_modules. */
const HTTP_REQUEST_MODULES = [
	['@n8n', 'backend-network', 'dist', 'http', 'axios', 'request.js'],
	['n8n-core', 'dist', 'execution-engine', 'node-execution-context', 'utils', 'request-helper-functions.js'],
];

export function loadN8nHttpRequest(n8nHome: string): N8nHttpRequest | undefined {
	for (const parts of HTTP_REQUEST_MODULES) {
		const file = path.join(n8nHome, 'app', 'node_modules', ...parts);
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		if (fs.existsSync(file)) return (require(file) as { httpRequest: N8nHttpRequest }).httpRequest;
	}
	return undefined;
}

async function drain(body: Readable): Promise<void> {
	for await (const chunk of body) void chunk;
}

/** Sends every request one at a time through n8n's function; returns the statuses. */
export async function sendThroughN8n(httpRequest: N8nHttpRequest, baseUrl: string, token: string, requests: FloorRequest[]): Promise<number[]> {
	const statuses: number[] = [];
	for (const request of requests) {
		const response = await httpRequest({
			method: 'POST',
			url: new URL(request.path, baseUrl).toString(),
			body: request.body,
			headers: { Authorization: `Bearer ${token}`, 'Content-Type': request.contentType, Accept: 'application/json' },
			json: false,
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: 60_000,
		});
		await drain(response.body);
		statuses.push(response.statusCode);
	}
	return statuses;
}
