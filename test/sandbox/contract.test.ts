/**
 * Replays every example of the vendor's Postman collection against the sandbox and checks the
 * answer matches the saved response (status, messages, errors and endpoint fields;
 * correlationId aside, as it is random).
 *
 * A few saved examples cannot be replayed literally; each is listed in ADJUSTMENTS with why.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_CUSTOM_ATTRIBUTES } from '../../sandbox/config';
import { startSandbox, type SandboxHandle } from '../../sandbox/server';
import { csv, ids, TOKEN, upload, UUID_V4 } from './helpers';

const COLLECTION_PATH = path.resolve(__dirname, '../../../shared/fanpass-api/postman-collection.json');

interface PostmanFormField {
	key: string;
	type?: string;
	value?: string | null;
}
interface PostmanRequest {
	method: string;
	header?: { key: string; value: string }[];
	body?: { mode: 'raw'; raw: string } | { mode: 'formdata'; formdata: PostmanFormField[] };
	url: string | { raw: string };
}
interface PostmanResponse {
	name: string;
	code: number;
	body: string;
	originalRequest: PostmanRequest;
}
interface PostmanItem {
	name: string;
	request: PostmanRequest;
	response?: PostmanResponse[];
}

interface Example {
	key: string;
	request: PostmanRequest;
	response: PostmanResponse;
}

const collection = JSON.parse(readFileSync(COLLECTION_PATH, 'utf8')) as { item: PostmanItem[] };
const examples: Example[] = collection.item.flatMap((item) =>
	(item.response ?? []).map((response) => ({
		key: `${item.name} / ${response.name}`,
		request: response.originalRequest,
		response,
	})),
);

/** No file is bundled with the collection: file-mode examples upload this 3-ID CSV. */
const SAMPLE_CSV = csv([['12345'], ['54321'], ['56435']]);

let clock = Date.now();
let sandbox: SandboxHandle;

interface Adjustment {
	why: string;
	/** Rewrites the saved request before it is sent. */
	request?: (request: PostmanRequest) => PostmanRequest;
	/** Prepares sandbox state before the replay. */
	setup?: () => Promise<void>;
}

const ADJUSTMENTS: Record<string, Adjustment> = {
	'Import Segment via CSV upload / Success Response (200)': {
		why: 'the saved response carries import id 1042: make that the next id',
		setup: async () => {
			sandbox.state.nextImportId = 1042;
		},
	},
	'Import Segment via CSV upload / Error: Missing Fields (400)': {
		why: 'the saved request sends title and tag (and no file) yet the response lists all three as missing: replay without them',
		request: (request) => ({
			...request,
			body: {
				mode: 'formdata',
				formdata: (request.body?.mode === 'formdata' ? request.body.formdata : []).filter(
					(field) => !['title', 'tag', 'file'].includes(field.key),
				),
			},
		}),
	},
	'Get Segment Import Status / Success Response (200)': {
		why: 'the saved response describes import 12345 of 20 users at 60%: create it by uploading 20 IDs, then move the clock to 60% of the processing phase',
		setup: async () => {
			sandbox.state.nextImportId = 12345;
			const created = await upload(
				sandbox,
				{ title: 'Twenty', tag: 'twenty' },
				{ name: 'twenty.csv', content: csv(ids(20).map((id) => [id])) },
			);
			expect(created.body.firebase_imported_segment_id).toBe(12345);
			const record = sandbox.state.imports.get(12345)!;
			clock = record.createdAtMs + record.pendingMs + ((record.durationMs - record.pendingMs) * 60) / 100;
		},
	},
	'Get Segment Import Status / Error: Missing Field (400)': {
		why: 'the saved request still carries the id although the response says it is missing: replay with an empty object',
		request: (request) => ({ ...request, body: { mode: 'raw', raw: '{}' } }),
	},
	'Update User Properties / Success Response (200)': {
		why: 'the example keys example_property_1/2 are placeholders with no warning in the response, so this sandbox registers them as custom attributes',
	},
};

function pathOf(url: PostmanRequest['url']): string {
	return new URL(typeof url === 'string' ? url : url.raw).pathname;
}

async function replay(request: PostmanRequest, expectedCode: number): Promise<Response> {
	const headers: Record<string, string> = {};
	const saved = request.header?.find((header) => header.key.toLowerCase() === 'authorization');
	// The collection authenticates with an inherited bearer token; the 401 examples either send a
	// bad one explicitly or (by their response) none at all.
	if (saved) headers.Authorization = saved.value;
	else if (expectedCode !== 401) headers.Authorization = `Bearer ${TOKEN}`;

	let body: string | FormData | undefined;
	if (request.body?.mode === 'raw') {
		headers['Content-Type'] = 'application/json';
		body = request.body.raw;
	} else if (request.body?.mode === 'formdata') {
		const form = new FormData();
		for (const field of request.body.formdata) {
			if (field.type === 'file') form.append(field.key, new Blob([SAMPLE_CSV], { type: 'text/csv' }), 'userGroup1.csv');
			else if (typeof field.value === 'string') form.append(field.key, field.value);
		}
		body = form;
	}
	return fetch(`${sandbox.url}${pathOf(request.url)}`, { method: request.method, headers, body });
}

beforeAll(async () => {
	sandbox = await startSandbox({
		customAttributes: [...DEFAULT_CUSTOM_ATTRIBUTES, 'example_property_1', 'example_property_2'],
		importDurationMs: 1000,
		now: () => clock,
	});
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.reset();
	clock = Date.now();
});

describe('Postman collection', () => {
	it('has the 12 examples these tests know (3 per endpoint)', () => {
		expect(examples.map((example) => example.key)).toHaveLength(12);
		for (const key of Object.keys(ADJUSTMENTS)) expect(examples.map((example) => example.key)).toContain(key);
	});

	it.each(examples.map((example) => [example.key, example] as const))('%s', async (_key, example) => {
		const adjustment = ADJUSTMENTS[example.key];
		await adjustment?.setup?.();
		const request = adjustment?.request ? adjustment.request(example.request) : example.request;

		const response = await replay(request, example.response.code);
		const actual = (await response.json()) as Record<string, unknown>;
		const expected = JSON.parse(example.response.body) as Record<string, unknown>;

		expect(response.status).toBe(example.response.code);
		expect(response.headers.get('content-type')).toMatch(/^application\/json/);
		expect(actual.correlationId).toMatch(UUID_V4);
		const { correlationId: _actualId, ...actualRest } = actual;
		const { correlationId: _expectedId, ...expectedRest } = expected;
		expect(actualRest).toEqual(expectedRest);
	});
});
