/** Edge cases in the real n8n: continueOnFail in both flavours, and aggregation into one request. */
import { mustSucceed, type SuiteContext } from './context';

interface JsonBody {
	tag?: string;
	userIds?: string[];
	userProperties?: Record<string, unknown>;
}

export async function continueUsingErrorOutput(ctx: SuiteContext): Promise<void> {
	const { checks } = ctx;
	const record = await ctx.execute('fanpassE2eErrOutput');
	const { execution, state } = record;
	mustSucceed(ctx, record);
	const [success = [], failed = []] = execution.nodeOutputs['Upsert segments'] ?? [];
	checks.equal('success output: one item for the good tag with its 2 members', success.map((i) => [i.json.tag, i.json.userCount]), [['e2eGoodTag', 2]]);
	checks.equal('error output: exactly one item', failed.length, 1);
	const error = String(failed[0]?.json.error ?? '');
	checks.check('the error item names the item (Item 1) and the bad tag', /Item 1\b/.test(error) && error.includes('"e2e bad tag"'), failed[0]?.json);
	checks.equal('the error item is paired with input item 1', failed[0] && (failed[0] as { pairedItem?: unknown }).pairedItem, { item: 1 });
	checks.equal('both outputs continue downstream', [execution.nodeOutput.Upserted?.length, execution.nodeOutput['Failed items']?.length], [1, 1]);
	const requests = state.requests.filter((r) => r.path === '/api/v1/segments');
	checks.equal('one segments request, for the good tag only', requests.map((r) => [r.status, (r.body as JsonBody | undefined)?.tag]), [[200, 'e2eGoodTag']]);
	checks.equal('sandbox: the good members arrived, the bad tag did not', Object.fromEntries(Object.entries(state.segments).map(([tag, s]) => [tag, s.userIds])), {
		e2eGoodTag: ['600001', '600003'],
	});
}

export async function continueRegularOutput(ctx: SuiteContext): Promise<void> {
	const { checks } = ctx;
	const record = await ctx.execute('fanpassE2eRegOutput');
	const { execution, state } = record;
	mustSucceed(ctx, record);
	const out = execution.nodeOutputs['Update users'] ?? [];
	checks.equal('one output (regular), 3 items in input order', [out.length, out[0]?.length], [1, 3]);
	const items = out[0] ?? [];
	checks.check('items 0 and 2 succeeded', [items[0], items[2]].every((i) => i && i.json.error === undefined && Array.isArray(i.json.userIds)), items.map((i) => i.json));
	const error = String(items[1]?.json.error ?? '');
	checks.check('item 1 is an error item naming the item and the reserved key user_id', /Item 1\b/.test(error) && /user_id/.test(error), items[1]?.json);
	checks.equal('the two good users were sent in one request', state.requests.map((r) => [r.path, r.status, [...((r.body as JsonBody | undefined)?.userIds ?? [])].sort()]), [
		['/api/v1/update_user', 200, ['700001', '700003']],
	]);
	checks.equal('sandbox: users 700001 and 700003 updated, 700002 untouched', Object.fromEntries(Object.entries(state.users).map(([id, u]) => [id, u.custom])), {
		'700001': { loyalty_tier: 'gold' },
		'700003': { loyalty_tier: 'gold' },
	});
}

export async function aggregation(ctx: SuiteContext): Promise<void> {
	const { checks } = ctx;
	const record = await ctx.execute('fanpassE2eAggregation');
	const { execution, state } = record;
	mustSucceed(ctx, record);
	const segmentRequests = state.requests.filter((r) => r.path === '/api/v1/segments');
	checks.equal('40 items with one tag → exactly 1 segments request with 40 ids', segmentRequests.map((r) => [r.status, (r.body as JsonBody | undefined)?.userIds?.length]), [[200, 40]]);
	checks.equal('upsert output: 1 item, 40 users', (execution.nodeOutput['Upsert one segment'] ?? []).map((i) => i.json.userCount), [40]);
	const userRequests = state.requests.filter((r) => r.path === '/api/v1/update_user');
	checks.equal('40 users with the same properties → exactly 1 update_user request with 40 ids', userRequests.map((r) => [r.status, (r.body as JsonBody | undefined)?.userIds?.length]), [[200, 40]]);
	checks.equal('update output: one item per input item', execution.nodeOutput['Update all users']?.length, 40);
	checks.equal('sandbox: 40 members, 40 users with vip_level', [state.segments.e2eAggregated?.userIds.length, Object.values(state.users).filter((u) => u.custom.vip_level === 'gold').length], [40, 40]);
}
