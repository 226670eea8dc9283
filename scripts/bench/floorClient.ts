/**
 * The floor's HTTP client: the least a client can do to send a FanPass request the way n8n's request
 * helper does it, i.e. over a fresh http.Agent (a new connection) per request, reading and parsing the
 * JSON answer. No retries, no redirects, no interceptors.
 */
import * as http from 'node:http';

export interface FloorRequest {
	path: string;
	contentType: string;
	body: Buffer;
}

export interface FloorAnswer {
	status: number;
	body: unknown;
}

export function sendOnce(baseUrl: string, token: string, request: FloorRequest): Promise<FloorAnswer> {
	const url = new URL(request.path, baseUrl);
	const agent = new http.Agent({ keepAlive: false });
	return new Promise<FloorAnswer>((resolve, reject) => {
		const req = http.request(
			url,
			{
				method: 'POST',
				agent,
				headers: {
					Authorization: `Bearer ${token}`,
					'Content-Type': request.contentType,
					'Content-Length': String(request.body.length),
					Accept: 'application/json',
				},
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('error', reject);
				res.on('end', () => {
					agent.destroy();
					const text = Buffer.concat(chunks).toString('utf8');
					let body: unknown = text;
					try {
						body = JSON.parse(text);
					} catch {
						/* not JSON: kept as text */
					}
					resolve({ status: res.statusCode ?? 0, body });
				});
			},
		);
		req.on('error', (error) => {
			agent.destroy();
			reject(error);
		});
		req.end(request.body);
	});
}

/** Sends every request, at most `concurrency` at a time; answers in request order. */
export async function sendAll(baseUrl: string, token: string, requests: FloorRequest[], concurrency: number): Promise<FloorAnswer[]> {
	const answers: FloorAnswer[] = new Array(requests.length);
	let next = 0;
	const worker = async () => {
		while (next < requests.length) {
			const index = next++;
			answers[index] = await sendOnce(baseUrl, token, requests[index]);
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, requests.length)) }, worker));
	return answers;
}
