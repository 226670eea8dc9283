/**
 * POST /api/v1/update_user: key resolution, truncation, value types.
 */
import { DEFAULT_PLATFORM_PROPERTIES, DEFAULT_RESERVED_PROPERTIES } from '../../sandbox/config';
import { startSandbox, type SandboxHandle } from '../../sandbox/server';
import { call } from './helpers';

let sandbox: SandboxHandle;

beforeAll(async () => {
	sandbox = await startSandbox({
		platformProperties: ['sth', 'ticketing_plans', 'favorite_team', 'shared_name'],
		reservedProperties: ['user_id', 'created_at', 'sth_reserved'],
		customAttributes: ['loyalty_tier', 'loyalty_points', 'shared_name', 'a_custom_key_of_25_chars_'],
	});
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => sandbox.reset());

const update = (userProperties: Record<string, unknown>, userIds: unknown[] = ['12345']) =>
	call(sandbox, '/api/v1/update_user', { userIds, userProperties });

describe('success', () => {
	it('writes platform properties to user_properties and custom attributes to custom, for every user', async () => {
		const res = await update({ sth: true, ticketing_plans: 'full', loyalty_tier: 'gold', loyalty_points: 120 }, ['a', 'b']);
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ messages: ['Successfully updated user properties for 2 users'], errors: [] });
		for (const id of ['a', 'b']) {
			expect(sandbox.state.users.get(id)).toMatchObject({
				userId: id,
				user_properties: { sth: true, ticketing_plans: 'full' },
				custom: { loyalty_tier: 'gold', loyalty_points: 120 },
			});
		}
	});

	it('merges with what a user already has', async () => {
		await update({ sth: true, loyalty_tier: 'gold' });
		await update({ favorite_team: 'Reds' });
		expect(sandbox.state.users.get('12345')).toMatchObject({
			user_properties: { sth: true, favorite_team: 'Reds' },
			custom: { loyalty_tier: 'gold' },
		});
	});

	it('null removes an attribute', async () => {
		await update({ sth: true, loyalty_tier: 'gold' });
		const res = await update({ sth: null, loyalty_tier: null });
		expect(res.body.messages).toEqual(['Successfully updated user properties for 1 users']);
		expect(sandbox.state.users.get('12345')).toMatchObject({ user_properties: {}, custom: {} });
	});

	it('a name that is both platform and custom goes to user_properties (resolution order)', async () => {
		await update({ shared_name: 'x' });
		expect(sandbox.state.users.get('12345')).toMatchObject({ user_properties: { shared_name: 'x' }, custom: {} });
	});

	it('numeric user IDs are stringified', async () => {
		const res = await update({ sth: true }, [42]);
		expect(res.status).toBe(200);
		expect(sandbox.state.users.has('42')).toBe(true);
	});
});

describe('ignored keys (warnings in messages, the rest still applied)', () => {
	it('ignores unknown keys with a warning', async () => {
		const res = await update({ sth: true, not_registered: 'x' });
		expect(res.status).toBe(200);
		expect(res.body.messages).toEqual([
			'Successfully updated user properties for 1 users',
			'Warning: property "not_registered" ignored: not a platform user property or registered custom attribute',
		]);
		expect(res.body.errors).toEqual([]);
		expect(sandbox.state.users.get('12345')!.user_properties).toEqual({ sth: true });
		expect(sandbox.state.users.get('12345')!.custom).toEqual({});
	});

	it('ignores reserved system properties even when listed as platform properties', async () => {
		const res = await update({ user_id: '999', created_at: 'now' });
		expect(res.body.messages).toEqual([
			'Successfully updated user properties for 1 users',
			'Warning: property "user_id" ignored: reserved system property',
			'Warning: property "created_at" ignored: reserved system property',
		]);
		expect(sandbox.state.users.get('12345')).toMatchObject({ user_properties: {}, custom: {} });
	});

	it('ignores keys longer than 24 characters even when registered; 24 is fine', async () => {
		const res = await update({ a_custom_key_of_25_chars_: 'x' });
		expect('a_custom_key_of_25_chars_').toHaveLength(25);
		expect(res.body.messages).toEqual([
			'Successfully updated user properties for 1 users',
			'Warning: property "a_custom_key_of_25_chars_" ignored: key longer than 24 characters',
		]);
		expect(sandbox.state.users.get('12345')!.custom).toEqual({});
	});

	it('keys match exactly (case-sensitive)', async () => {
		const res = await update({ STH: true });
		expect(res.body.messages[1]).toBe(
			'Warning: property "STH" ignored: not a platform user property or registered custom attribute',
		);
	});

	it('ignores object and array values with a warning', async () => {
		const res = await update({ sth: { nested: true }, favorite_team: ['a'], loyalty_tier: 'gold' });
		expect(res.body.messages).toEqual([
			'Successfully updated user properties for 1 users',
			'Warning: property "sth" ignored: value must be a string, number, boolean or null',
			'Warning: property "favorite_team" ignored: value must be a string, number, boolean or null',
		]);
		expect(sandbox.state.users.get('12345')).toMatchObject({ user_properties: {}, custom: { loyalty_tier: 'gold' } });
	});

	it('answers 200 even when every key is ignored', async () => {
		const res = await update({ nope: 1 });
		expect(res.status).toBe(200);
		expect(res.body.messages).toHaveLength(2);
	});
});

describe('value truncation', () => {
	it('keeps 36 characters, truncates 37 with a warning', async () => {
		const exact = 'x'.repeat(36);
		const long = `${'y'.repeat(36)}TAIL`;
		const res = await update({ ticketing_plans: exact, loyalty_tier: long });
		expect(res.body.messages).toEqual([
			'Successfully updated user properties for 1 users',
			'Warning: value of property "loyalty_tier" truncated to 36 characters',
		]);
		expect(sandbox.state.users.get('12345')).toMatchObject({
			user_properties: { ticketing_plans: exact },
			custom: { loyalty_tier: 'y'.repeat(36) },
		});
	});

	it('counts characters, not UTF-16 units', async () => {
		const emoji = '🎟️'.repeat(10); // 20 code points
		await update({ loyalty_tier: emoji + 'é'.repeat(20) });
		const stored = sandbox.state.users.get('12345')!.custom.loyalty_tier as string;
		expect([...stored]).toHaveLength(36);
	});

	it('stores numbers and booleans as they are', async () => {
		const res = await update({ loyalty_points: -1.2345678901234567e-300, sth: false });
		expect(res.body.messages).toEqual(['Successfully updated user properties for 1 users']);
		expect(sandbox.state.users.get('12345')).toMatchObject({
			user_properties: { sth: false },
			custom: { loyalty_points: -1.2345678901234567e-300 },
		});
	});
});

describe('required fields and types', () => {
	it.each([
		[{}, 'userIds, userProperties'],
		[{ userProperties: {} }, 'userIds, userProperties'],
		[{ userIds: ['1'] }, 'userProperties'],
		[{ userIds: [], userProperties: { sth: true } }, 'userIds'],
		[{ userIds: ['1'], userProperties: [] }, 'userProperties'],
		[{ userIds: ['1'], userProperties: null }, 'userProperties'],
	])('%j -> Missing required fields: %s', async (body, fields) => {
		const res = await call(sandbox, '/api/v1/update_user', body);
		expect(res.status).toBe(400);
		expect(res.body.errors).toEqual([`Missing required fields: ${fields}`]);
		expect(sandbox.state.users.size).toBe(0);
	});

	it.each([['a string'], [['sth']], [42]])('rejects userProperties %j', async (userProperties) => {
		const res = await call(sandbox, '/api/v1/update_user', { userIds: ['1'], userProperties });
		expect(res.status).toBe(400);
		expect(res.body.errors).toEqual(['Invalid field "userProperties": must be an object of key/value pairs']);
	});

	it('rejects bad user IDs like segments do', async () => {
		const res = await call(sandbox, '/api/v1/update_user', { userIds: ['1', false], userProperties: { sth: true } });
		expect(res.status).toBe(400);
		expect(res.body.errors).toEqual(['Invalid field "userIds[1]": user IDs must be strings or numbers, got boolean']);
		expect(sandbox.state.users.size).toBe(0);
	});

	it('counts duplicate user IDs once', async () => {
		const res = await update({ sth: true }, ['a', 'a']);
		expect(res.body.messages).toEqual([
			'Successfully updated user properties for 1 users',
			'Warning: 1 duplicate user ID counted once',
		]);
	});
});

describe('default attribute lists', () => {
	it('name sth and ticketing_plans as platform properties, user_id as reserved', () => {
		expect(DEFAULT_PLATFORM_PROPERTIES).toEqual(expect.arrayContaining(['sth', 'ticketing_plans']));
		expect(DEFAULT_RESERVED_PROPERTIES).toContain('user_id');
	});

	it('make loyalty_tier a custom attribute, as in the collection', async () => {
		const defaults = await startSandbox();
		try {
			const res = await call(defaults, '/api/v1/update_user', {
				userIds: ['1'],
				userProperties: { sth: 'yes', loyalty_tier: 'gold', example_property_1: 'x' },
			});
			expect(res.body.messages).toEqual([
				'Successfully updated user properties for 1 users',
				'Warning: property "example_property_1" ignored: not a platform user property or registered custom attribute',
			]);
			expect(defaults.state.users.get('1')).toMatchObject({ user_properties: { sth: 'yes' }, custom: { loyalty_tier: 'gold' } });
		} finally {
			await defaults.close();
		}
	});
});
