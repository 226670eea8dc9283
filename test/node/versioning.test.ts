/**
 * Workflows saved with typeVersion 1 must keep doing the same thing in every later release
 * (docs/VERSIONING.md). The fixtures store parameters the way n8n saves them, so only values that
 * differ from their defaults: renaming a parameter or an option value, or changing a default,
 * changes what reaches the API, and these tests fail.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { FanPass } from '../../nodes/FanPass/FanPass.node';
import { startSandbox, type SandboxHandle } from '../../sandbox/server';
import { GOOD_TOKEN, requestsTo } from './fixtures';
import { asSavedByEditor, fanPassNode, loadSavedWorkflow, runSavedWorkflow } from './savedWorkflow';

const SEGMENTS = '/api/v1/segments';
const UPDATE_USER = '/api/v1/update_user';
const STATUS = '/api/v1/segment_import_status';
const FIXTURES = fs.readdirSync(path.join(__dirname, 'fixtures', 'saved-v1')).filter((file) => file.endsWith('.json'));

describe('workflows saved with FanPass typeVersion 1', () => {
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startSandbox({
			tokens: [GOOD_TOKEN],
			platformProperties: ['sth', 'favorite_team'],
			customAttributes: ['loyalty_tier', 'loyalty_points'],
			importDurationMs: 300,
		});
	});
	afterAll(async () => await sandbox.close());
	beforeEach(() => sandbox.reset());

	it('the node still declares version 1', () => {
		const { version } = new FanPass().description;
		expect(Array.isArray(version) ? version : [version]).toContain(1);
	});

	it('cover every action', () => {
		const actions = FIXTURES.map((file) => {
			const { parameters } = fanPassNode(loadSavedWorkflow(file));
			return `${parameters.resource ?? 'segment'}.${parameters.operation ?? (parameters.resource === 'user' ? 'update' : 'upsert')}`;
		});
		expect(new Set(actions)).toEqual(
			new Set(['segment.upsert', 'segment.uploadFile', 'segment.waitForImport', 'segment.getImportStatus', 'user.update']),
		);
	});

	it.each(FIXTURES)('%s stores only non-default parameters, as the n8n editor saves them', (file) => {
		const node = fanPassNode(loadSavedWorkflow(file));
		expect(node.typeVersion).toBe(1);
		expect(asSavedByEditor(node)).toEqual(node.parameters);
	});

	it('Upsert from items: default source type 0, all items with the tag in one request', async () => {
		const result = await runSavedWorkflow(sandbox, loadSavedWorkflow('segment-upsert-items.json'));
		expect(result.error).toBeUndefined();
		expect(requestsTo(sandbox, SEGMENTS).map((request) => request.body)).toEqual([
			{ title: 'Season Ticket Holders', tag: 'sth2026', sourceType: 0, userIds: ['100001', '100002'], notes: 'Nightly CRM refresh' },
		]);
		expect(result.output[0].json).toMatchObject({ tag: 'sth2026', userCount: 2, duplicatesRemoved: 1 });
	});

	it('Upsert from a list', async () => {
		const result = await runSavedWorkflow(sandbox, loadSavedWorkflow('segment-upsert-list.json'));
		expect(result.error).toBeUndefined();
		expect(requestsTo(sandbox, SEGMENTS).map((request) => request.body)).toEqual([
			{ title: 'VIP Guests', tag: 'vipGuests', sourceType: 2, userIds: ['12345', '54321', '56435'] },
		]);
	});

	it('Upload File from the default binary property "data"', async () => {
		const workflow = loadSavedWorkflow('segment-uploadFile-binary.json');
		const result = await runSavedWorkflow(sandbox, workflow);
		expect(result.error).toBeUndefined();
		const [request] = requestsTo(sandbox, SEGMENTS);
		expect(request.multipart?.file?.fileName).toBe('loyalty.csv');
		expect(request.multipart?.file?.bytes.toString()).toBe('user_id,loyalty_tier\n2001,gold\n2002,silver\n');
		expect(request.multipart?.fields).toMatchObject({ title: 'Loyalty Members', tag: 'loyaltyMembers', sourceType: '0', notes: 'Weekly export', dry_run: 'false' });
		expect(sandbox.state.segments.get('loyaltyMembers')?.userIds).toEqual(['2001', '2002']);
	});

	it('Upload File building a CSV from items, as a dry run', async () => {
		const result = await runSavedWorkflow(sandbox, loadSavedWorkflow('segment-uploadFile-items.json'));
		expect(result.error).toBeUndefined();
		const [request] = requestsTo(sandbox, SEGMENTS);
		expect(request.multipart?.file?.fileName).toBe('gold.csv');
		expect(request.multipart?.file?.bytes.toString().trim().split(/\r?\n/)).toEqual(['user_id,loyalty_tier', '3001,gold', '3002,gold']);
		expect(request.multipart?.fields).toMatchObject({ title: 'Gold Tier', tag: 'goldTier', dry_run: 'true' });
		expect(sandbox.state.segments.has('goldTier')).toBe(false);
	});

	/** The pinned upstream data of the import fixtures names import 1001: the sandbox's first import id. */
	async function seedImport1001() {
		const upload = await runSavedWorkflow(sandbox, loadSavedWorkflow('segment-uploadFile-binary.json'));
		expect(upload.output[0].json.importId).toBe(1001);
	}

	it('Wait for Import reads the import ID from $json.importId by default and polls to the end', async () => {
		await seedImport1001();
		const result = await runSavedWorkflow(sandbox, loadSavedWorkflow('segment-waitForImport.json'));
		expect(result.error).toBeUndefined();
		const polls = requestsTo(sandbox, STATUS);
		expect(polls.length).toBeGreaterThan(1);
		expect(polls.every((request) => JSON.stringify(request.body) === '{"firebase_imported_segment_id":1001}')).toBe(true);
		expect(result.output[0].json).toMatchObject({ importId: 1001, state: 'completed', finished: true });
	});

	it('Get Import Status reads the import ID from $json.importId by default', async () => {
		await seedImport1001();
		const result = await runSavedWorkflow(sandbox, loadSavedWorkflow('segment-getImportStatus.json'));
		expect(result.error).toBeUndefined();
		expect(requestsTo(sandbox, STATUS).map((request) => request.body)).toEqual([{ firebase_imported_segment_id: 1001 }]);
		expect(result.output[0].json).toMatchObject({ importId: 1001 });
	});

	it('Update User with property fields, one request per distinct property set', async () => {
		const result = await runSavedWorkflow(sandbox, loadSavedWorkflow('user-update-fields.json'));
		expect(result.error).toBeUndefined();
		expect(requestsTo(sandbox, UPDATE_USER).map((request) => request.body)).toEqual(
			expect.arrayContaining([
				{ userIds: ['4001', '4002'], userProperties: { loyalty_tier: 'gold', sth: 'true' } },
				{ userIds: ['4003'], userProperties: { loyalty_tier: 'silver', sth: 'true' } },
			]),
		);
		expect(requestsTo(sandbox, UPDATE_USER)).toHaveLength(2);
		expect(sandbox.state.users.get('4003')?.custom).toEqual({ loyalty_tier: 'silver' });
	});

	it('Update User with a JSON object and a batch size', async () => {
		const result = await runSavedWorkflow(sandbox, loadSavedWorkflow('user-update-json.json'));
		expect(result.error).toBeUndefined();
		const sent = requestsTo(sandbox, UPDATE_USER).map((request) => request.body);
		expect(sent).toHaveLength(2);
		expect(sent.flatMap((body) => body.userIds as string[]).sort()).toEqual(['5001', '5002', '5003']);
		for (const body of sent) expect(body.userProperties).toEqual({ loyalty_points: 120, favorite_team: 'Hawks' });
	});
});

describe('workflows saved with FanPass typeVersion 2', () => {
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startSandbox({ tokens: [GOOD_TOKEN] });
	});
	afterAll(async () => await sandbox.close());

	it('store only non-default parameters, as the n8n editor saves them', () => {
		const node = fanPassNode(loadSavedWorkflow('segment-upsert-list.json', 'saved-v2'));
		expect(node.typeVersion).toBe(2);
		expect(asSavedByEditor(node)).toEqual(node.parameters);
	});

	it('Create or Update from a list: the same request as version 1, the simplified output by default', async () => {
		const result = await runSavedWorkflow(sandbox, loadSavedWorkflow('segment-upsert-list.json', 'saved-v2'));
		expect(result.error).toBeUndefined();
		expect(requestsTo(sandbox, SEGMENTS).map((request) => request.body)).toEqual([
			{ title: 'VIP Guests', tag: 'vipGuests', sourceType: 2, userIds: ['12345', '54321', '56435'] },
		]);
		expect(Object.keys(result.output[0].json).sort()).toEqual(['correlationId', 'mode', 'tag', 'userCount']);
	});
});
