/**
 * The edges an adversarial pass found (issue 12): what a user sent arrives as sent, in order, or
 * fails by name; nothing is split, coerced or dropped silently.
 */
import type { IDataObject } from 'n8n-workflow';

import { POLL_CONCURRENCY } from '../../nodes/FanPass/actions/segment/waitForImport.operation';
import { startSandbox, type SandboxHandle } from '../../sandbox/server';
import { GOOD_TOKEN, items, requestsTo, runFanPass, updateParameters, upsertParameters } from './fixtures';

const UPDATE = '/api/v1/update_user';
const SEGMENTS = '/api/v1/segments';
const PROTOTYPE_NAMES = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'];

describe('edges: order, names, separators, types', () => {
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startSandbox({
			tokens: [GOOD_TOKEN],
			customAttributes: ['loyalty_tier', 'loyalty_points', ...PROTOTYPE_NAMES],
			importDurationMs: 200,
		});
	});
	afterAll(async () => await sandbox.close());
	beforeEach(() => sandbox.reset());

	const customOf = (userId: string) => sandbox.state.users.get(userId)?.custom;

	describe('last write wins in Update User', () => {
		it('a later item wins per property even when the earlier request needed a retry', async () => {
			sandbox.faults.add({ kind: 'status', status: 429, retryAfter: '0', count: 1, path: 'update_user' });
			const result = await runFanPass(sandbox, {
				parameters: updateParameters({ requestOptions: { retryDelay: 0.01 } }),
				items: items(
					{ user_id: 'u1', props: { loyalty_tier: 'gold', loyalty_points: 10 } },
					{ user_id: 'u1', props: { loyalty_tier: 'silver' } },
				),
			});
			expect(result.error).toBeUndefined();
			expect(customOf('u1')).toEqual({ loyalty_tier: 'silver', loyalty_points: 10 });
			// both items' properties for u1 merged into one request
			expect(requestsTo(sandbox, UPDATE).filter((request) => !request.fault)).toHaveLength(1);
			expect(result.output[0].json.warnings).toEqual([
				'property "loyalty_tier" of user u1 was then set by item 1, which wins',
			]);
			expect(result.output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		});

		it('merging per user cuts requests: users that end with the same properties share one', async () => {
			const result = await runFanPass(sandbox, {
				parameters: updateParameters(),
				items: items(
					{ user_id: 'a', props: { loyalty_tier: 'gold' } },
					{ user_id: 'b', props: { loyalty_tier: 'silver' } },
					{ user_id: 'b', props: { loyalty_tier: 'gold' } },
				),
			});
			expect(result.error).toBeUndefined();
			expect(requestsTo(sandbox, UPDATE)).toHaveLength(1);
			expect(requestsTo(sandbox, UPDATE)[0].body.userIds).toEqual(['a', 'b']);
			expect(customOf('b')).toEqual({ loyalty_tier: 'gold' });
		});
	});

	it.each(PROTOTYPE_NAMES)('a property named %s is sent like any other name', async (name) => {
		const props = JSON.parse(`{"${name}": "x1", "loyalty_tier": "gold"}`) as IDataObject;
		const result = await runFanPass(sandbox, {
			parameters: updateParameters(),
			items: items({ user_id: 'p1', props }),
		});
		expect(result.error).toBeUndefined();
		const sent = requestsTo(sandbox, UPDATE)[0].body.userProperties as IDataObject;
		expect(Object.prototype.hasOwnProperty.call(sent, name)).toBe(true);
		expect(sent[name]).toBe('x1');
		expect(Object.getPrototypeOf(result.output[0].json.userProperties)).toBe(Object.prototype);
		expect(Object.prototype.hasOwnProperty.call(result.output[0].json.userProperties, name)).toBe(true);
		expect(({} as IDataObject).polluted).toBeUndefined();
	});

	it('a prototype name given as a field pair is not "given twice"', async () => {
		const result = await runFanPass(sandbox, {
			parameters: updateParameters({
				propertiesInput: 'fields',
				properties: { property: [{ name: 'constructor', value: 'c' }, { name: 'toString', value: 't' }] },
			}),
			items: items({ user_id: 'p2' }),
		});
		expect(result.error).toBeUndefined();
		expect(customOf('p2')).toEqual({ constructor: 'c', toString: 't' });
	});

	describe('only commas and line breaks split a list', () => {
		it('Update User keeps acme;123 as one user', async () => {
			const result = await runFanPass(sandbox, {
				parameters: updateParameters(),
				items: items({ user_id: 'acme;123', props: { loyalty_tier: 'gold' } }, { user_id: 'x1, x2\ny3', props: { loyalty_tier: 'gold' } }),
			});
			expect(result.error).toBeUndefined();
			expect(requestsTo(sandbox, UPDATE)[0].body.userIds).toEqual(['acme;123', 'x1', 'x2', 'y3']);
		});

		it('Create or Update: a list keeps semicolons inside an ID; an item field never splits', async () => {
			await runFanPass(sandbox, {
				parameters: upsertParameters({ userIdSource: 'list', userIdList: 'a;b, c\nd', tag: 'fans' }),
				items: items({}),
			});
			expect(sandbox.state.segments.get('fans')?.userIds).toEqual(['a;b', 'c', 'd']);
			await runFanPass(sandbox, { parameters: upsertParameters(), items: items({ user_id: 'e,f' }) });
			expect(sandbox.state.segments.get('fans')?.userIds).toEqual(['e,f']);
		});
	});

	describe('Source Type is 0-4, as a number or numeric text', () => {
		it.each([
			['true', '={{ true }}', 'Source Type is true'],
			['[2]', '={{ [2] }}', 'Source Type is [2]'],
			['2.5', 2.5, 'Source Type is 2.5'],
			['-1', -1, 'Source Type is -1'],
			['"" (empty text)', '={{ "" }}', 'Source Type is ""'],
		])('refuses %s by name, before any request', async (_, sourceType, message) => {
			const result = await runFanPass(sandbox, { parameters: upsertParameters({ sourceType }), items: items({ user_id: '1' }) });
			expect(result.error?.message).toContain(`Item 0: ${message}; it must be one of 0-4`);
			expect(sandbox.state.requests).toHaveLength(0);
		});

		it('accepts numeric text', async () => {
			const result = await runFanPass(sandbox, { parameters: upsertParameters({ sourceType: '={{ " 3 " }}' }), items: items({ user_id: '1' }) });
			expect(result.error).toBeUndefined();
			expect(requestsTo(sandbox, SEGMENTS)[0].body.sourceType).toBe(3);
		});
	});

	it('a property value that is an unsafe integer is refused by name, not rounded', async () => {
		const result = await runFanPass(sandbox, {
			parameters: updateParameters({ propertiesJson: '={{ JSON.stringify({ loyalty_points: 12345678901234567890 }) }}' }),
			items: items({ user_id: 'big' }),
		});
		expect(result.error?.message).toMatch(/Item 0: property "loyalty_points": is the number 12345678901234567000, too large to be exact/);
		expect(sandbox.state.requests).toHaveLength(0);
	});

	describe('Upload + Wait for Import: the file was accepted even when the wait fails', () => {
		const csv = Buffer.from('user_id\r\nw1\r\nw2\r\n');
		const parameters = {
			resource: 'segment',
			operation: 'uploadFile',
			title: 'Wait',
			tag: 'waitFans',
			sourceType: 0,
			fileSource: 'binary',
			binaryPropertyName: 'data',
			options: { waitForCompletion: true, pollInterval: 0.05 },
		};
		const fileItems = [{ json: {}, binary: [{ property: 'data', fileName: 'w.csv', mimeType: 'text/csv', data: csv }] }];

		it('with continueOnFail the error item keeps importId and lookupKey and says the file is with FanPass', async () => {
			sandbox.failImportsMidway(1, 'warehouse went away');
			const result = await runFanPass(sandbox, { parameters, items: fileItems, continueOnFail: true });
			expect(result.error).toBeUndefined();
			const json = result.output[0].json;
			expect(json).toMatchObject({ tag: 'waitFans', lookupKey: 'waitFans', uploaded: true });
			expect(typeof json.importId).toBe('number');
			expect(String(json.errorDescription)).toContain(`FanPass accepted the file (importId ${json.importId}`);
		});

		it('without it the error says the file was accepted and names the import', async () => {
			sandbox.failImportsMidway(1, 'warehouse went away');
			const result = await runFanPass(sandbox, { parameters, items: fileItems });
			expect(result.error?.message).toMatch(/import \d+ failed/);
			expect(result.error?.description).toMatch(/FanPass accepted the file \(importId \d+, lookupKey waitFans\); only waiting for the import failed/);
		});
	});

	it('Wait for Import without continueOnFail stops at the first failed import instead of waiting out the others', async () => {
		const upload = await runFanPass(sandbox, {
			parameters: { resource: 'segment', operation: 'uploadFile', title: 'A', tag: 'slowOne', sourceType: 0, fileSource: 'items', csvUserId: '={{ $json.user_id }}', simplify: false, options: {} },
			items: items({ user_id: 's1' }),
		});
		const slowImport = upload.output[0].json.importId as number;
		const result = await runFanPass(sandbox, {
			parameters: { resource: 'segment', operation: 'waitForImport', importId: '={{ $json.importId }}', options: { pollInterval: 0.05, maxWait: 120 } },
			// item 0 waits on an import that would take long; item 1's id is unknown to FanPass
			items: items({ importId: slowImport }, { importId: 999999 }),
		});
		sandbox.completeImport(slowImport);
		expect(result.error?.message).toMatch(/Item 1|999999/);
		const polls = requestsTo(sandbox, '/api/v1/segment_import_status').filter((request) => request.body.firebase_imported_segment_id === slowImport);
		// the long wait ended with the failure: a handful of polls, not two minutes of them
		expect(polls.length).toBeLessThan(20);
	});

	it('Wait for Import polls a few imports at a time: twelve items are never twelve requests at once', async () => {
		const tags = Array.from({ length: 12 }, (_, i) => ({ tag: `batch${i}`, user_id: `w${i}` }));
		const upload = await runFanPass(sandbox, {
			parameters: { resource: 'segment', operation: 'uploadFile', title: '={{ $json.tag }}', tag: '={{ $json.tag }}', sourceType: 0, fileSource: 'items', csvUserId: '={{ $json.user_id }}', simplify: false, options: {} },
			items: items(...tags),
		});
		expect(upload.error).toBeUndefined();
		const importIds = upload.output.map((item) => item.json.importId as number);
		expect(new Set(importIds).size).toBe(12);
		// every poll takes a while at FanPass, so polls of different imports overlap if the node lets them
		sandbox.faults.add({ kind: 'delay', delayMs: 40, probability: 1, path: 'segment_import_status' });
		const before = requestsTo(sandbox, '/api/v1/segment_import_status').length;
		const result = await runFanPass(sandbox, {
			parameters: { resource: 'segment', operation: 'waitForImport', importId: '={{ $json.importId }}', options: { pollInterval: 0.05, maxWait: 30 } },
			items: items(...importIds.map((importId) => ({ importId }))),
		});
		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => [item.json.importId, item.json.state])).toEqual(importIds.map((id) => [id, 'completed']));
		const polled = new Set(requestsTo(sandbox, '/api/v1/segment_import_status').slice(before).map((request) => request.body.firebase_imported_segment_id));
		expect(polled.size).toBe(12);
		const summary = (await (await fetch(`${sandbox.url}/__sandbox/summary`)).json()) as { requests: { peakInFlight: number } };
		expect(summary.requests.peakInFlight).toBe(POLL_CONCURRENCY);
	});
});

describe('edges: a CSV built from items', () => {
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startSandbox({ tokens: [GOOD_TOKEN], customAttributes: ['loyalty_tier'] });
	});
	afterAll(async () => await sandbox.close());

	it('reports values over 36 characters as Update User does, and still sends them', async () => {
		const long = 'z'.repeat(40);
		const result = await runFanPass(sandbox, {
			parameters: {
				resource: 'segment',
				operation: 'uploadFile',
				title: 'Long',
				tag: 'longValues',
				sourceType: 0,
				fileSource: 'items',
				csvUserId: '={{ $json.user_id }}',
				csvColumns: { column: [{ name: 'loyalty_tier', value: '={{ $json.tier }}' }] },
				options: {},
			},
			items: items({ user_id: 'l1', tier: long }, { user_id: 'l2', tier: 'gold' }),
		});
		expect(result.error).toBeUndefined();
		expect(result.output[0].json.warnings).toEqual([
			`item 0: column "loyalty_tier": the value has 40 characters; FanPass keeps only the first 36 ("${'z'.repeat(36)}")`,
		]);
		const file = requestsTo(sandbox, SEGMENTS)[0].multipart?.file;
		expect(file?.bytes.toString('utf8')).toContain(long);
	});
});
