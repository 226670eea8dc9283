/**
 * An OpenAI-compatible chat-completions stub on localhost, standing in for the chat model of an
 * n8n AI Agent so the agent can run offline. It plays a script: each step either calls one tool
 * (with fixed arguments) or gives the final answer. The step is chosen by how many tool results
 * the conversation already holds, so the agent's own loop drives it. Every request is recorded,
 * so a test can see the tools (and their JSON schemas) n8n offered the model.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ScriptStep = { tool: string; args: Record<string, unknown> } | { answer: string };

export interface ChatRequest {
	model?: string;
	stream?: boolean;
	messages: Array<{ role: string; content?: unknown; tool_call_id?: string }>;
	tools?: Array<{ type: string; function: { name: string; description?: string; parameters?: Record<string, unknown> } }>;
}

export interface StubModel {
	/** Base URL to put in n8n's OpenAI credential, e.g. http://127.0.0.1:40123/v1 */
	baseUrl: string;
	requests: ChatRequest[];
	close(): Promise<void>;
}

function readJson(req: IncomingMessage): Promise<ChatRequest> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			try {
				resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequest);
			} catch (error) {
				reject(error);
			}
		});
		req.on('error', reject);
	});
}

type ToolCall = { id: string; type: 'function'; function: { name: string; arguments: string } };
type AssistantMessage = { role: 'assistant'; content: string } | { role: 'assistant'; content: null; tool_calls: ToolCall[] };

/** The assistant message for the next step of the script. */
function nextMessage(script: ScriptStep[], request: ChatRequest, callNumber: number): AssistantMessage {
	const toolResults = request.messages.filter((message) => message.role === 'tool').length;
	const step = script[Math.min(toolResults, script.length - 1)];
	if ('answer' in step) return { role: 'assistant', content: step.answer };
	return {
		role: 'assistant',
		content: null,
		tool_calls: [{ id: `call_${callNumber}`, type: 'function', function: { name: step.tool, arguments: JSON.stringify(step.args) } }],
	};
}

function sendCompletion(res: ServerResponse, request: ChatRequest, message: AssistantMessage, id: string) {
	const created = Math.floor(Date.now() / 1000);
	const model = request.model ?? 'stub';
	const finish = 'tool_calls' in message ? 'tool_calls' : 'stop';
	const usage = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };
	if (!request.stream) {
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(JSON.stringify({ id, object: 'chat.completion', created, model, choices: [{ index: 0, message, finish_reason: finish }], usage }));
		return;
	}
	res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
	const chunk = (delta: object, finishReason: string | null) =>
		res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`);
	if ('tool_calls' in message) {
		chunk({ role: 'assistant', content: null, tool_calls: message.tool_calls.map((call, index) => ({ index, ...call })) }, null);
	} else {
		chunk({ role: 'assistant', content: message.content }, null);
	}
	chunk({}, finish);
	res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })}\n\n`);
	res.end('data: [DONE]\n\n');
}

export async function startStubModel(script: ScriptStep[]): Promise<StubModel> {
	const requests: ChatRequest[] = [];
	const server = createServer((req, res) => {
		const url = req.url ?? '';
		if (req.method === 'GET' && url.endsWith('/models')) {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ object: 'list', data: [{ id: 'gpt-4.1-mini', object: 'model', created: 0, owned_by: 'stub' }] }));
			return;
		}
		if (req.method !== 'POST' || !url.endsWith('/chat/completions')) {
			res.writeHead(404, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ error: { message: `stub model: no route ${req.method} ${url}` } }));
			return;
		}
		readJson(req).then(
			(request) => {
				requests.push(request);
				sendCompletion(res, request, nextMessage(script, request, requests.length), `chatcmpl-stub-${requests.length}`);
			},
			(error: Error) => {
				res.writeHead(400, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ error: { message: error.message } }));
			},
		);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		baseUrl: `http://127.0.0.1:${port}/v1`,
		requests,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
