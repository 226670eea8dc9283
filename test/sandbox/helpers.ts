/**
 * Shared helpers for the sandbox tests: HTTP calls with Node's global fetch, and file builders.
 */
import * as XLSX from 'xlsx';
import { zipSync, strToU8 } from 'fflate';
import type { Envelope } from '../../sandbox/envelope';
import type { SandboxHandle } from '../../sandbox/server';

export const TOKEN = 'sandbox-token';
export const UNAUTHORIZED =
	'The API access token is missing or invalid. Please verify that you are using the correct FanPass API token, which is available in the Fanreach Portal.';
export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export interface CallOptions {
	/** Bearer token; null sends no Authorization header. Default: the sandbox token. */
	token?: string | null;
	/** Raw Authorization header value (overrides token). */
	authorization?: string;
	method?: string;
	headers?: Record<string, string>;
}

export interface Reply {
	status: number;
	body: Envelope;
	headers: Headers;
}

function authHeaders(options: CallOptions): Record<string, string> {
	if (options.authorization !== undefined) return { Authorization: options.authorization };
	const token = options.token === undefined ? TOKEN : options.token;
	return token === null ? {} : { Authorization: `Bearer ${token}` };
}

async function reply(response: Response): Promise<Reply> {
	return { status: response.status, body: (await response.json()) as Envelope, headers: response.headers };
}

/** POST (by default) a JSON value; a string body is sent verbatim. */
export async function call(
	sandbox: SandboxHandle,
	path: string,
	body?: unknown,
	options: CallOptions = {},
): Promise<Reply> {
	const method = options.method ?? 'POST';
	const hasBody = body !== undefined && method !== 'GET' && method !== 'HEAD';
	const response = await fetch(`${sandbox.url}${path}`, {
		method,
		headers: {
			...(hasBody ? { 'Content-Type': 'application/json' } : {}),
			...authHeaders(options),
			...(options.headers ?? {}),
		},
		body: hasBody ? (typeof body === 'string' ? body : JSON.stringify(body)) : undefined,
	});
	return reply(response);
}

export interface UploadFile {
	name: string;
	content: string | Uint8Array;
	type?: string;
}

export function buildForm(fields: Record<string, string>, file?: UploadFile | UploadFile[]): FormData {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) form.append(name, value);
	for (const entry of file === undefined ? [] : Array.isArray(file) ? file : [file]) {
		const blob = new Blob([entry.content], { type: entry.type ?? 'application/octet-stream' });
		form.append('file', blob, entry.name);
	}
	return form;
}

export async function upload(
	sandbox: SandboxHandle,
	fields: Record<string, string>,
	file?: UploadFile | UploadFile[],
	options: CallOptions = {},
): Promise<Reply> {
	const response = await fetch(`${sandbox.url}/api/v1/segments`, {
		method: 'POST',
		headers: authHeaders(options),
		body: buildForm(fields, file),
	});
	return reply(response);
}

/** A CSV file (CRLF line ends, RFC 4180 quoting where needed). */
export function csv(rows: (string | number)[][]): string {
	const quote = (cell: string | number) => {
		const text = String(cell);
		return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
	};
	return rows.map((row) => row.map(quote).join(',')).join('\r\n') + '\r\n';
}

export function workbook(rows: (string | number | boolean)[][], bookType: 'xlsx' | 'xls'): Uint8Array {
	const book = XLSX.utils.book_new();
	XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), 'Users');
	return new Uint8Array(XLSX.write(book, { type: 'buffer', bookType }) as Buffer);
}

export function zip(entries: Record<string, string | Uint8Array>): Uint8Array {
	const files: Record<string, Uint8Array> = {};
	for (const [name, content] of Object.entries(entries)) {
		files[name] = typeof content === 'string' ? strToU8(content) : content;
	}
	return zipSync(files);
}

export function ids(count: number, prefix = 'u'): string[] {
	return Array.from({ length: count }, (_, index) => `${prefix}${index + 1}`);
}
