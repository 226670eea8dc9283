/**
 * Property-based tests (fast-check): for generated items, property sets, duplicates, orders and
 * fault sequences, FanReach (the sandbox) ends exactly as a small reference model applied to the
 * items in order says, every input item is accounted for exactly once, and no request passes
 * FanPass's limits.
 */
import fc from 'fast-check';
import type { IDataObject, INodeExecutionData, IPairedItemData } from 'n8n-workflow';

import { startSandbox, type SandboxHandle } from '../../sandbox/server';
import { GOOD_TOKEN, items, requestsTo, runFanPass, updateParameters, upsertParameters } from './fixtures';

const KEYS = ['loyalty_tier', 'loyalty_points', 'vip_level', 'constructor', 'toString'];
const USERS = ['u1', 'u2', 'u3', 'u4', 'acme;5', 'x 6'];
const TAGS = ['fans', 'vips', 'kids'];

const value = fc.oneof(fc.constantFrom('gold', 'silver', ''), fc.integer({ min: -5, max: 5 }), fc.boolean());
const updateItem = fc.record({
	user_id: fc.oneof(fc.constantFrom(...USERS), fc.uniqueArray(fc.constantFrom(...USERS), { minLength: 1, maxLength: 3 })),
	props: fc.dictionary(fc.constantFrom(...KEYS), value, { minKeys: 1, maxKeys: 3 }),
});
const faults = fc.array(fc.constantFrom(429, 503), { maxLength: 3 });

/** Which input items each output item answers for. */
function pairedIndexes(output: INodeExecutionData[]): number[] {
	return output.flatMap((item) => {
		const paired = item.pairedItem as IPairedItemData | IPairedItemData[] | undefined;
		return (Array.isArray(paired) ? paired : paired ? [paired] : []).map((entry) => entry.item);
	});
}

describe('properties against a reference model', () => {
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startSandbox({ tokens: [GOOD_TOKEN], customAttributes: KEYS });
	});
	afterAll(async () => await sandbox.close());

	it('Update User: each user ends with the properties of the items applied in order', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(updateItem, { minLength: 1, maxLength: 12 }), faults, fc.integer({ min: 1, max: 4 }), async (inputs, statuses, batchSize) => {
				sandbox.reset();
				for (const status of statuses) sandbox.faults.add({ kind: 'status', status, retryAfter: '0', count: 1, path: 'update_user' });
				const props = inputs.map((input) => JSON.parse(JSON.stringify(input.props)) as IDataObject);
				const result = await runFanPass(sandbox, {
					parameters: updateParameters({ options: { batchSize }, requestOptions: { retryDelay: 0.001 } }),
					items: items(...inputs.map((input, index) => ({ user_id: input.user_id, props: props[index] }))),
				});
				expect(result.error).toBeUndefined();

				const model = new Map<string, IDataObject>();
				inputs.forEach((input, index) => {
					const ids = (Array.isArray(input.user_id) ? input.user_id : [input.user_id]).flatMap((id) => id.split(','));
					for (const id of ids.map((part) => part.trim())) {
						const user = model.get(id) ?? {};
						for (const [key, v] of Object.entries(props[index])) Object.defineProperty(user, key, { value: v, enumerable: true, writable: true, configurable: true });
						model.set(id, user);
					}
				});
				for (const [userId, expected] of model) {
					expect({ ...sandbox.state.users.get(userId)?.custom }).toEqual({ ...expected });
				}
				expect(sandbox.state.users.size).toBe(model.size);
				expect(pairedIndexes(result.output).sort((a, b) => a - b)).toEqual(inputs.map((_, index) => index));
				for (const request of requestsTo(sandbox, '/api/v1/update_user')) {
					expect(request.body.userIds.length).toBeLessThanOrEqual(batchSize);
					expect(new Set(request.body.userIds).size).toBe(request.body.userIds.length);
				}
				// one request per distinct final property set and batch, never more
				const distinctSets = new Map<string, number>();
				for (const user of model.values()) {
					const key = JSON.stringify(Object.entries(user).sort(([a], [b]) => a.localeCompare(b)));
					distinctSets.set(key, (distinctSets.get(key) ?? 0) + 1);
				}
				const expectedRequests = [...distinctSets.values()].reduce((sum, users) => sum + Math.ceil(users / batchSize), 0);
				expect(requestsTo(sandbox, '/api/v1/update_user').filter((request) => !request.fault)).toHaveLength(expectedRequests);
			}),
			{ numRuns: 40 },
		);
	});

	it('Create or Update: each tag ends with the unique IDs of its items, in first-seen order, in one request', async () => {
		const segmentItem = fc.record({
			tag: fc.constantFrom(...TAGS),
			user_id: fc.oneof(fc.constantFrom(...USERS, ' u1 ', ''), fc.array(fc.constantFrom(...USERS), { maxLength: 3 })),
		});
		await fc.assert(
			fc.asyncProperty(fc.array(segmentItem, { minLength: 1, maxLength: 15 }), faults, async (inputs, statuses) => {
				sandbox.reset();
				for (const status of statuses) sandbox.faults.add({ kind: 'status', status, retryAfter: '0', count: 1, path: 'segments' });
				const result = await runFanPass(sandbox, {
					parameters: upsertParameters({ tag: '={{ $json.tag }}', requestOptions: { retryDelay: 0.001 }, options: { emptyList: 'skip' } }),
					items: items(...inputs),
				});
				expect(result.error).toBeUndefined();
				const model = new Map<string, string[]>();
				for (const input of inputs) {
					const ids = (Array.isArray(input.user_id) ? input.user_id : [input.user_id]).map((id) => id.trim()).filter((id) => id !== '');
					const members = model.get(input.tag) ?? [];
					for (const id of ids) if (!members.includes(id)) members.push(id);
					model.set(input.tag, members);
				}
				for (const [tag, members] of model) {
					if (members.length === 0) expect(sandbox.state.segments.has(tag)).toBe(false);
					else expect(sandbox.state.segments.get(tag)?.userIds).toEqual(members);
				}
				const sent = requestsTo(sandbox, '/api/v1/segments').filter((request) => !request.fault);
				expect(sent).toHaveLength([...model.values()].filter((members) => members.length > 0).length);
				expect(pairedIndexes(result.output).sort((a, b) => a - b)).toEqual(inputs.map((_, index) => index));
			}),
			{ numRuns: 40 },
		);
	});
});
