/**
 * Replays every example of the FanPass contract (test/sandbox/contractExamples.ts: a success, a
 * missing-field 400 and a 401 per endpoint) against the sandbox and checks the answer: status,
 * messages, errors and endpoint fields (the correlationId must be a UUID v4; its value is random).
 */
import { DEFAULT_CUSTOM_ATTRIBUTES } from '../../sandbox/config';
import { startSandbox, type SandboxHandle } from '../../sandbox/server';
import { CONTRACT_EXAMPLES, type ContractExample } from './contractExamples';
import { csv, ids, TOKEN, upload, UUID_V4 } from './helpers';

/** File-mode examples upload this 3-ID CSV. */
const SAMPLE_CSV = csv([['12345'], ['54321'], ['56435']]);

let clock = Date.now();
let sandbox: SandboxHandle;

/** Puts the sandbox in the state an example's answer describes. */
const GIVEN: Record<NonNullable<ContractExample['given']>, () => Promise<void>> = {
	'next import id is 1042': async () => {
		sandbox.state.nextImportId = 1042;
	},
	'import 12345 of 20 users is 60% processed': async () => {
		sandbox.state.nextImportId = 12345;
		const created = await upload(sandbox, { title: 'Twenty', tag: 'twenty' }, { name: 'twenty.csv', content: csv(ids(20).map((id) => [id])) });
		expect(created.body.firebase_imported_segment_id).toBe(12345);
		const record = sandbox.state.imports.get(12345)!;
		clock = record.createdAtMs + record.pendingMs + ((record.durationMs - record.pendingMs) * 60) / 100;
	},
	// registered in beforeAll (startSandbox's customAttributes), so the answer carries no warning
	'example_property_1/2 are registered attributes': async () => {},
};

async function send(example: ContractExample): Promise<Response> {
	const headers: Record<string, string> = {};
	if (example.auth === 'good') headers.Authorization = `Bearer ${TOKEN}`;
	let body: string | FormData | undefined;
	if (example.form) {
		const form = new FormData();
		if (example.withFile) form.append('file', new Blob([SAMPLE_CSV], { type: 'text/csv' }), 'userGroup1.csv');
		for (const [key, value] of Object.entries(example.form)) form.append(key, value);
		body = form;
	} else {
		headers['Content-Type'] = 'application/json';
		body = JSON.stringify(example.json);
	}
	return fetch(`${sandbox.url}${example.path}`, { method: 'POST', headers, body });
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

describe('FanPass contract examples', () => {
	it('cover a success, a 400 and a 401 for each of the four calls', () => {
		expect(CONTRACT_EXAMPLES).toHaveLength(12);
		expect(CONTRACT_EXAMPLES.map((example) => example.status).sort()).toEqual([200, 200, 200, 200, 400, 400, 400, 400, 401, 401, 401, 401]);
	});

	it.each(CONTRACT_EXAMPLES.map((example) => [example.name, example] as const))('%s', async (_name, example) => {
		if (example.given) await GIVEN[example.given]();
		const response = await send(example);
		const actual = (await response.json()) as Record<string, unknown>;

		expect(response.status).toBe(example.status);
		expect(response.headers.get('content-type')).toMatch(/^application\/json/);
		expect(actual.correlationId).toMatch(UUID_V4);
		const { correlationId: _id, ...rest } = actual;
		expect(rest).toEqual(example.answer);
	});
});
