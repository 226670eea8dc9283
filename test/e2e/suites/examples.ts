import * as fs from 'node:fs';
import * as path from 'node:path';
/** The workflows in examples/, run in the real n8n and checked against the sandbox. */
import { mustSucceed, type SuiteContext } from './context';

export async function crmTierSegments(ctx: SuiteContext): Promise<void> {
	const { checks } = ctx;
	const record = await ctx.execute('fanpassCrmTierSegments');
	const { execution, state } = record;
	mustSucceed(ctx, record);
	const out = execution.nodeOutput['Upsert tier segments'] ?? [];
	checks.equal('3 output items, one per tag', out.map((i) => i.json.tag).sort(), ['crmBronze', 'crmGold', 'crmSilver']);
	checks.equal('output user counts per tag', Object.fromEntries(out.map((i) => [i.json.tag, i.json.userCount])), { crmBronze: 16, crmSilver: 17, crmGold: 17 });
	checks.check('output mode json with correlationId', out.length > 0 && out.every((i) => i.json.mode === 'json' && typeof i.json.correlationId === 'string'), out.map((i) => i.json));
	const segmentRequests = state.requests.filter((r) => r.path === '/api/v1/segments');
	checks.equal('one POST /api/v1/segments per tag', segmentRequests.map((r) => r.status), [200, 200, 200]);
	checks.equal('sandbox holds the 3 segments', Object.keys(state.segments).sort(), ['crmBronze', 'crmGold', 'crmSilver']);
	const gold = state.segments.crmGold;
	checks.equal('crmGold title', gold?.title, 'CRM Gold Tier');
	checks.equal('crmGold members (contacts 2, 5, 8, … 50)', gold?.userIds, Array.from({ length: 17 }, (_, i) => String(100002 + 3 * i)));
	checks.equal('crmGold notes and mode', [gold?.notes, gold?.mode, gold?.sourceType], ['Nightly CRM refresh', 'json', 0]);
	checks.equal('all 50 contacts are in exactly one segment', Object.values(state.segments).reduce((n, s) => n + s.userIds.length, 0), 50);
}

export async function loyaltyUserAttributes(ctx: SuiteContext): Promise<void> {
	const { checks } = ctx;
	const record = await ctx.execute('fanpassLoyaltyAttributes');
	const { execution, state } = record;
	mustSucceed(ctx, record);
	const out = execution.nodeOutput['Update user attributes'] ?? [];
	checks.equal('12 output items', out.length, 12);
	checks.equal('first item output', [out[0]?.json.userIds, out[0]?.json.userProperties, out[0]?.json.warnings], [
		['200001'],
		{ loyalty_tier: 'silver', loyalty_points: 250, season_ticket_holder: false, favorite_player: 'Garcia' },
		[],
	]);
	checks.check('all requests to /api/v1/update_user succeeded', state.requests.length > 0 && state.requests.every((r) => r.path === '/api/v1/update_user' && r.status === 200), state.requests);
	checks.equal('sandbox holds 12 users', Object.keys(state.users).length, 12);
	const user = state.users['200004'];
	checks.equal('user 200004: platform property + custom attributes', user && { user_properties: user.user_properties, custom: user.custom }, {
		user_properties: { season_ticket_holder: true },
		custom: { loyalty_tier: 'bronze', loyalty_points: 1000, favorite_player: 'Okafor' },
	});
}

export async function csvUploadAndWait(ctx: SuiteContext): Promise<void> {
	const { checks } = ctx;
	const record = await ctx.execute('fanpassCsvUploadAndWait');
	const { execution, state } = record;
	mustSucceed(ctx, record);
	const upload = execution.nodeOutput['Upload segment file']?.[0]?.json ?? {};
	checks.check('upload output has a numeric importId', typeof upload.importId === 'number', upload);
	const wait = execution.nodeOutput['Wait for import']?.[0]?.json ?? {};
	checks.equal('wait output: completed, finished, not timed out', [wait.state, wait.finished, wait.timedOut], ['completed', true, false]);
	checks.check('wait output polled more than once', typeof wait.polls === 'number' && wait.polls > 1, wait);
	const segment = state.segments.playoffBuyers2026;
	checks.equal('segment playoffBuyers2026 from the file', [segment?.title, segment?.mode, segment?.userIds.length, segment?.importErrors ?? []], ['Playoff Ticket Buyers', 'file', 20, []]);
	const multipart = state.requests.find((r) => r.path === '/api/v1/segments')?.multipart;
	checks.equal('multipart upload: file name and correlation id', [multipart?.file?.fileName, multipart?.fields.correlation_id], ['playoff-buyers.csv', 'e2e-playoff-buyers']);
	checks.equal('file columns written as custom attributes', state.users['300003']?.custom, { loyalty_tier: 'bronze', favorite_player: 'Jones' });
	const imports = Object.values(state.imports);
	checks.equal('one import, completed 20/20', imports.map((i) => [i.import_status?.state, i.import_status?.done, i.import_status?.total_users]), [['completed', 20, 20]]);
	checks.check('several segment_import_status polls', state.requests.filter((r) => r.path === '/api/v1/segment_import_status').length > 1);
}

export async function fileFromDisk(ctx: SuiteContext): Promise<void> {
	const { checks } = ctx;
	const record = await ctx.execute('fanpassFileFromDisk');
	const { execution, state } = record;
	mustSucceed(ctx, record);
	const read = execution.nodeOutput['Read season ticket file']?.[0];
	const binary = read?.binary?.data as { id?: string; fileName?: string; fileSize?: string } | undefined;
	checks.equal('Read/Write Files read season-ticket-holders.csv', binary?.fileName, 'season-ticket-holders.csv');
	checks.check('the binary is stored on disk (N8N_DEFAULT_BINARY_DATA_MODE=filesystem)', /^filesystem/.test(String(binary?.id)), binary);
	const wait = execution.nodeOutput['Wait for import']?.[0]?.json ?? {};
	checks.equal('wait output: completed, finished, not timed out', [wait.state, wait.finished, wait.timedOut], ['completed', true, false]);
	const segment = state.segments.seasonTicketHolders;
	checks.equal('segment seasonTicketHolders: title, mode, 25 members', [segment?.title, segment?.mode, segment?.userIds.length], ['Season Ticket Holders', 'file', 25]);
	const multipart = state.requests.find((r) => r.path === '/api/v1/segments')?.multipart;
	checks.equal('the uploaded file is the one on disk (name, size)', [multipart?.file?.fileName, multipart?.file?.size], [
		'season-ticket-holders.csv',
		fs.statSync(path.join(ctx.filesDir, 'season-ticket-holders.csv')).size,
	]);
	checks.equal('file columns written as platform property and custom attribute', state.users['500002'] && { user_properties: state.users['500002'].user_properties, custom: state.users['500002'].custom }, {
		user_properties: { account_rep: 'Priya' },
		custom: { favorite_player: 'Smith' },
	});
	checks.equal('one import, completed 25/25', Object.values(state.imports).map((i) => [i.import_status?.state, i.import_status?.done, i.import_status?.total_users]), [['completed', 25, 25]]);
}

export async function scheduledRefresh(ctx: SuiteContext): Promise<void> {
	const { checks } = ctx;
	const workflow = ctx.workflows.get('fanpassScheduledRefresh');
	checks.check('the workflow has a Schedule Trigger wired to the same path', !!workflow?.nodes.some((n) => n.type === 'n8n-nodes-base.scheduleTrigger'));
	const first = await ctx.execute('fanpassScheduledRefresh');
	mustSucceed(ctx, first);
	checks.check('n8n execute started from the Manual Trigger (the Schedule Trigger did not run)', !!first.execution.nodeOutput["When clicking 'Execute workflow'"] && !first.execution.nodeOutput['Every morning at 6'], Object.keys(first.execution.nodeOutput));
	const out = first.execution.nodeOutput['Refresh segment'] ?? [];
	checks.equal('one output item: tag and count', out.map((i) => [i.json.tag, i.json.userCount]), [['seasonTicketHoldersDaily', 30]]);
	checks.equal('first run: segment v1 with 30 members', [first.state.segments.seasonTicketHoldersDaily?.version, first.state.segments.seasonTicketHoldersDaily?.userIds.length], [1, 30]);
	// the next morning's run: the same segment is replaced, not appended to
	const second = await ctx.execute('fanpassScheduledRefresh', { reset: false });
	mustSucceed(ctx, second);
	const segment = second.state.segments.seasonTicketHoldersDaily;
	checks.equal('second run: same segment, v2, still 30 members (replaced, not appended)', [Object.keys(second.state.segments), segment?.version, segment?.userIds.length], [['seasonTicketHoldersDaily'], 2, 30]);
}
