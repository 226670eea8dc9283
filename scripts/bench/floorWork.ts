/**
 * The floor's per-item work: what any client must do with the input items to produce the FanPass node's
 * requests, written plainly, outside n8n. Reading each item's ID path, normalising (text, trimmed, empties
 * dropped), de-duplicating, building the JSON body or the CSV file and its multipart body; for users,
 * checking the property names and values, grouping users by property set and batching them.
 *
 * The bodies come out identical to the node's (checked against what the sandbox recorded), except a
 * multipart body's random boundary; the request's other fields (title, correlation id...) are taken from
 * the node's recorded request, since they cost nothing per item.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FloorRequest } from './floorClient';

interface Item {
	json: Record<string, unknown>;
}

/** What the sandbox recorded of one of the node's requests (GET /__sandbox/state). */
export interface RecordedRequest {
	path: string;
	contentType: string | null;
	body?: Record<string, unknown>;
	multipart?: { fields: Record<string, string>; file: { fileName: string; mimeType: string; size: number; sha256: string } | null };
}

export interface WorkResult {
	requests: FloorRequest[];
	/** whether the bodies built here equal the node's (JSON deep-equal; a file's sha256) */
	identical: boolean;
	detail: string;
	/** bytes of the file sent, when a file was */
	fileBytes?: number;
}

const MAX_KEY = 24;
const MAX_VALUE = 36;
const CSV_QUOTE = /[",\r\n]|^\s|\s$/;

const json = (value: unknown): FloorRequest['body'] => Buffer.from(JSON.stringify(value), 'utf8');

function collectIds(items: Item[], field: string): Set<string> {
	const ids = new Set<string>();
	const add = (value: unknown) => {
		if (value === null || value === undefined) return;
		if (Array.isArray(value)) {
			for (const inner of value) add(inner);
			return;
		}
		const id = String(value).trim();
		if (id !== '') ids.add(id);
	};
	for (const item of items) add(item.json[field]);
	return ids;
}

/** The CSV FanPass's file mode takes: a user_id header, CRLF line ends, RFC 4180 quoting; joined once. */
export function idsCsv(ids: Iterable<string>): Buffer {
	const rows = ['user_id'];
	for (const id of ids) rows.push(CSV_QUOTE.test(id) ? `"${id.replace(/"/g, '""')}"` : id);
	rows.push('');
	return Buffer.from(rows.join('\r\n'), 'utf8');
}

function multipart(fields: Record<string, string>, file: { fileName: string; mimeType: string }, data: Buffer): FloorRequest {
	const boundary = `----floor${randomBytes(12).toString('hex')}`;
	let head = '';
	for (const [name, value] of Object.entries(fields)) head += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
	head += `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.fileName}"\r\nContent-Type: ${file.mimeType}\r\n\r\n`;
	const body = Buffer.concat([Buffer.from(head, 'utf8'), data, Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8')]);
	return { path: '/api/v1/segments', contentType: `multipart/form-data; boundary=${boundary}`, body };
}

/** One segment from items: a JSON body, or (when the node used file mode) a CSV upload. */
export function segmentWork(items: Item[], idField: string, recorded: RecordedRequest): WorkResult {
	const ids = collectIds(items, idField);
	if (recorded.multipart?.file) {
		const file = recorded.multipart.file;
		const data = idsCsv(ids);
		const sha256 = createHash('sha256').update(data).digest('hex');
		const identical = sha256 === file.sha256;
		return {
			requests: [multipart(recorded.multipart.fields, file, data)],
			identical,
			detail: identical ? `the same ${data.length}-byte CSV (sha256)` : `CSV differs: ${data.length} bytes here, ${file.size} from the node`,
			fileBytes: data.length,
		};
	}
	const body = { ...(recorded.body ?? {}), userIds: [...ids] };
	const identical = JSON.stringify(body) === JSON.stringify(recorded.body);
	return { requests: [{ path: '/api/v1/segments', contentType: 'application/json', body: json(body) }], identical, detail: identical ? 'the same JSON body' : 'JSON body differs from the node\'s' };
}

function checkedProperties(properties: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [raw, value] of Object.entries(properties)) {
		const key = raw.trim();
		if (key === '' || key.length > MAX_KEY || key === 'user_id') throw new Error(`property "${raw}" would be refused`);
		if (value === null || typeof value === 'object') throw new Error(`property "${key}" is not a scalar`);
		if (String(value).length > MAX_VALUE) throw new Error(`property "${key}" is too long`);
		out[key] = value;
	}
	return out;
}

/** update_user: users grouped by property set, batches of `batchSize` user IDs. */
export function usersWork(items: Item[], batchSize: number, recorded: RecordedRequest[]): WorkResult {
	const groups = new Map<string, { properties: Record<string, unknown>; ids: Set<string> }>();
	for (const item of items) {
		const properties = checkedProperties(item.json.properties as Record<string, unknown>);
		const key = JSON.stringify(Object.keys(properties).sort().map((name) => [name, properties[name]]));
		let group = groups.get(key);
		if (!group) groups.set(key, (group = { properties, ids: new Set() }));
		group.ids.add(String(item.json.userId).trim());
	}
	const bodies: string[] = [];
	for (const group of groups.values()) {
		const ids = [...group.ids];
		for (let start = 0; start < ids.length; start += batchSize) bodies.push(JSON.stringify({ userIds: ids.slice(start, start + batchSize), userProperties: group.properties }));
	}
	const mine = [...bodies].sort();
	const theirs = recorded.map((r) => JSON.stringify(r.body)).sort();
	const identical = mine.length === theirs.length && mine.every((body, i) => body === theirs[i]);
	return {
		requests: bodies.map((body) => ({ path: '/api/v1/update_user', contentType: 'application/json', body: Buffer.from(body, 'utf8') })),
		identical,
		detail: identical ? `the same ${bodies.length} JSON bodies` : `bodies differ: ${mine.length} here, ${theirs.length} from the node`,
	};
}
