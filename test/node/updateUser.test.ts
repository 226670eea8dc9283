import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { SandboxHandle } from '../../sandbox/server';
import { BAD_TOKEN, items, requestsTo, runFanPass, startTestSandbox, updateParameters } from './fixtures';

const UPDATE = '/api/v1/update_user';

const update = updateParameters;

describe('User → Update, over HTTP against the sandbox', () => {
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startTestSandbox();
	});
	afterAll(async () => await sandbox.close());
	beforeEach(() => sandbox.reset());

	it('merges items with identical property sets: requests = distinct property sets', async () => {
		const contacts = Array.from({ length: 30 }, (_, i) => ({
			user_id: `u${i}`,
			props: i % 3 === 0 ? { loyalty_tier: 'gold', sth: true } : i % 3 === 1 ? { sth: true, loyalty_tier: 'gold' } : { loyalty_tier: 'silver' },
		}));
		const result = await runFanPass(sandbox, { parameters: update(), items: items(...contacts) });

		expect(result.error).toBeUndefined();
		const sent = requestsTo(sandbox, UPDATE);
		expect(sent).toHaveLength(2);
		expect(sent[0].body.userIds).toHaveLength(20);
		expect(sent[0].body.userProperties).toEqual({ loyalty_tier: 'gold', sth: true });
		expect(sent[1].body).toEqual({ userIds: contacts.filter((_, i) => i % 3 === 2).map((c) => c.user_id), userProperties: { loyalty_tier: 'silver' } });

		expect(sandbox.state.users.get('u0')).toMatchObject({ custom: { loyalty_tier: 'gold' }, user_properties: { sth: true } });
		expect(sandbox.state.users.get('u2')).toMatchObject({ custom: { loyalty_tier: 'silver' } });

		expect(result.output).toHaveLength(30);
		result.output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.userIds).toEqual([`u${index}`]);
		});
		expect(result.output[2].json).toMatchObject({
			userProperties: { loyalty_tier: 'silver' },
			warnings: [],
			correlationId: sent[1].response.correlationId,
			messages: ['Successfully updated user properties for 10 users'],
		});
	});

	it('caps each request at the batch size', async () => {
		const contacts = Array.from({ length: 25 }, (_, i) => ({ user_id: `b${i}`, props: { vip_level: '3' } }));
		const result = await runFanPass(sandbox, { parameters: update({ options: { batchSize: 10 } }), items: items(...contacts) });
		expect(result.error).toBeUndefined();
		expect(requestsTo(sandbox, UPDATE).map((request) => request.body.userIds.length)).toEqual([10, 10, 5]);
		expect(new Set(result.output.map((item) => item.json.correlationId)).size).toBe(3);
	});

	it('takes name/value pairs and several user IDs per item', async () => {
		const result = await runFanPass(sandbox, {
			parameters: update({
				propertiesInput: 'fields',
				userId: '={{ $json.ids }}',
				properties: { property: [{ name: 'favorite_team', value: 'Rovers' }, { name: 'loyalty_points', value: '={{ $json.points }}' }] },
			}),
			items: items({ ids: 'x1, x2', points: 1200 }),
		});
		expect(result.error).toBeUndefined();
		expect(requestsTo(sandbox, UPDATE)[0].body).toEqual({ userIds: ['x1', 'x2'], userProperties: { favorite_team: 'Rovers', loyalty_points: 1200 } });
		expect(result.output[0].json.userIds).toEqual(['x1', 'x2']);
	});

	it('refuses a key over 24 characters and a reserved key, naming item and key, before any request', async () => {
		const long = await runFanPass(sandbox, {
			parameters: update(),
			items: items({ user_id: '1', props: { sth: true } }, { user_id: '2', props: { a_property_name_of_25_chr: 'x' } }),
		});
		expect(long.error?.message).toContain('Item 1: property "a_property_name_of_25_chr": the name has 25 characters');
		const reserved = await runFanPass(sandbox, { parameters: update(), items: items({ user_id: '1', props: { user_id: '9' } }) });
		expect(reserved.error?.message).toContain('Item 0: property "user_id"');
		expect(reserved.error?.message).toContain('reserved');
		expect(sandbox.state.requests).toHaveLength(0);
	});

	it('can skip invalid keys with a warning and send the rest', async () => {
		const result = await runFanPass(sandbox, {
			parameters: update({ options: { invalidKeys: 'skip' } }),
			items: items({ user_id: '1', props: { user_id: '9', loyalty_tier: 'gold' } }),
		});
		expect(result.error).toBeUndefined();
		expect(requestsTo(sandbox, UPDATE)[0].body.userProperties).toEqual({ loyalty_tier: 'gold' });
		expect(result.output[0].json.warnings).toEqual([expect.stringContaining('property "user_id" not sent')]);
	});

	it('reports values over 36 characters as truncated, and FanPass truncates them', async () => {
		const value = 'x'.repeat(40);
		const result = await runFanPass(sandbox, { parameters: update(), items: items({ user_id: '1', props: { favorite_team: value } }) });
		expect(result.error).toBeUndefined();
		expect(result.output[0].json.warnings).toEqual(
			expect.arrayContaining([expect.stringContaining('property "favorite_team": the value has 40 characters')]),
		);
		expect(sandbox.state.users.get('1')?.user_properties.favorite_team).toBe('x'.repeat(36));
	});

	it('can refuse values over 36 characters instead', async () => {
		const result = await runFanPass(sandbox, {
			parameters: update({ options: { longValues: 'error' } }),
			items: items({ user_id: '1', props: { favorite_team: 'y'.repeat(37) } }),
		});
		expect(result.error?.message).toContain('Item 0: property "favorite_team": the value has 37 characters');
		expect(sandbox.state.requests).toHaveLength(0);
	});

	it.each([
		[{ address: { city: 'Leeds' } }, 'nested object'],
		[{ tags: ['a', 'b'] }, 'is a list'],
		[{ sth: null }, 'has no value'],
		[{}, 'no properties to send'],
	])('refuses properties %p with a clear message', async (props, problem) => {
		const result = await runFanPass(sandbox, { parameters: update(), items: items({ user_id: '1', props }) });
		expect(result.error?.message).toContain('Item 0');
		expect(result.error?.message).toContain(problem);
		expect(sandbox.state.requests).toHaveLength(0);
	});

	it('refuses invalid JSON and a missing user ID, naming the item', async () => {
		const json = await runFanPass(sandbox, { parameters: update({ propertiesJson: '{"sth": ' }), items: items({ user_id: '1' }) });
		expect(json.error?.message).toContain('Item 0: Properties (JSON) is not valid JSON');
		const noUser = await runFanPass(sandbox, { parameters: update(), items: items({ user_id: ' ', props: { sth: 1 } }) });
		expect(noUser.error?.message).toContain('Item 0: the User ID is empty');
	});

	it('passes FanPass\'s warnings about unregistered attributes through to the item', async () => {
		const result = await runFanPass(sandbox, { parameters: update(), items: items({ user_id: '1', props: { shoe_size: '44', sth: 'yes' } }) });
		expect(result.error).toBeUndefined();
		const warnings = result.output[0].json.warnings as string[];
		expect(warnings.some((warning) => warning.includes('shoe_size'))).toBe(true);
		expect(sandbox.state.users.get('1')?.user_properties).toEqual({ sth: 'yes' });
	});

	it('with continueOnFail, bad items become paired error items and good ones are still sent', async () => {
		const result = await runFanPass(sandbox, {
			continueOnFail: true,
			parameters: update(),
			items: items(
				{ user_id: '1', props: { sth: 'a' } },
				{ user_id: '2', props: { user_id: 'x' } },
				{ user_id: '3', props: { sth: 'a' } },
			),
		});
		expect(result.error).toBeUndefined();
		expect(requestsTo(sandbox, UPDATE)).toHaveLength(1);
		expect(result.output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.output[1].json.error).toContain('Item 1: property "user_id"');
		expect(result.output[0].json.error).toBeUndefined();
	});

	it('with continueOnFail, a 401 fails exactly the items of that request', async () => {
		const result = await runFanPass(sandbox, {
			token: BAD_TOKEN,
			continueOnFail: true,
			parameters: update(),
			items: items({ user_id: '1', props: { sth: 'a' } }, { user_id: '2', props: { sth: 'b' } }),
		});
		expect(result.error).toBeUndefined();
		expect(result.output).toHaveLength(2);
		result.output.forEach((item, index) => {
			expect(item.json).toMatchObject({ httpCode: '401', userIds: [String(index + 1)] });
			expect(item.pairedItem).toEqual({ item: index });
		});
		expect(JSON.stringify(result.output)).not.toContain(BAD_TOKEN);
		expect(result.logs.join('\n')).not.toContain(BAD_TOKEN);
	});
});

describe('User → Update, concurrency', () => {
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startTestSandbox();
	});
	afterAll(async () => await sandbox.close());

	it('keeps at most the configured number of requests in flight', async () => {
		let inFlight = 0;
		let maxInFlight = 0;
		const server = createServer((request, response) => {
			inFlight++;
			maxInFlight = Math.max(maxInFlight, inFlight);
			request.resume();
			setTimeout(() => {
				inFlight--;
				response.writeHead(200, { 'content-type': 'application/json' });
				response.end(JSON.stringify({ status: 200, correlationId: 'c', messages: ['Successfully updated user properties for 1 users'], errors: [] }));
			}, 60);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		const contacts = Array.from({ length: 12 }, (_, i) => ({ user_id: `s${i}`, props: { loyalty_points: i } }));
		const result = await runFanPass({ url } as SandboxHandle, {
			parameters: { resource: 'user', operation: 'update', userId: '={{ $json.user_id }}', propertiesInput: 'json', propertiesJson: '={{ JSON.stringify($json.props) }}', options: { concurrency: 3 } },
			items: items(...contacts),
		});
		server.close();
		expect(result.error).toBeUndefined();
		expect(maxInFlight).toBe(3);
	});

	it('sends distinct property sets with bounded concurrency and updates every user', async () => {
		const contacts = Array.from({ length: 40 }, (_, i) => ({ user_id: `c${i}`, props: { loyalty_points: i } }));
		const parameters = {
			resource: 'user',
			operation: 'update',
			userId: '={{ $json.user_id }}',
			propertiesInput: 'json',
			propertiesJson: '={{ JSON.stringify($json.props) }}',
			options: { concurrency: 3 },
		};
		const result = await runFanPass(sandbox, { parameters, items: items(...contacts) });
		expect(result.error).toBeUndefined();
		const sent = requestsTo(sandbox, UPDATE);
		expect(sent).toHaveLength(40);
		contacts.forEach((contact, i) => expect(sandbox.state.users.get(contact.user_id)?.custom.loyalty_points).toBe(i));
		expect(result.output.map((item) => item.json.userIds)).toEqual(contacts.map((contact) => [contact.user_id]));

	});
});
