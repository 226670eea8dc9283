/**
 * Every example (examples/*.json but the AI Agent's) runs on a worker, as a manual run offloaded from the
 * editor's REST API, and as a production run: a Webhook in place of the Manual Trigger (activated), and the
 * Schedule Trigger of the scheduled refresh (activated, every second). Each run is checked on the sandbox.
 */
import { activate, deactivate, runManually } from '../../../scripts/n8n-runtime/n8nExecutions';
import type { SandboxState } from '../../../scripts/n8n-runtime/sandboxProcess';
import { executionIds, newExecutions, postWebhook, ranOnWorker, type QueueContext } from '../context';
import { examples, MANUAL_TRIGGER } from '../workflows';

/** What each example leaves in FanReach (the e2e suite checks the details; this checks the essentials). */
const EXPECTED: Record<string, (state: SandboxState) => unknown> = {
	fanpassCrmTierSegments: (s) => Object.fromEntries(Object.entries(s.segments).map(([tag, seg]) => [tag, seg.userIds.length])),
	fanpassLoyaltyAttributes: (s) => [Object.keys(s.users).length, s.users['200004']?.custom],
	fanpassCsvUploadAndWait: (s) => [s.segments.playoffBuyers2026?.userIds.length, Object.values(s.imports).map((i) => i.import_status?.state)],
	fanpassFileFromDisk: (s) => [s.segments.seasonTicketHolders?.userIds.length, Object.values(s.imports).map((i) => i.import_status?.state)],
	fanpassScheduledRefresh: (s) => Object.keys(s.segments),
};
const WANTED: Record<string, unknown> = {
	fanpassCrmTierSegments: { crmBronze: 16, crmSilver: 17, crmGold: 17 },
	fanpassLoyaltyAttributes: [12, { loyalty_tier: 'bronze', loyalty_points: 1000, favorite_player: 'Okafor' }],
	fanpassCsvUploadAndWait: [20, ['completed']],
	fanpassFileFromDisk: [25, ['completed']],
	fanpassScheduledRefresh: ['seasonTicketHoldersDaily'],
};

export async function manualRuns(ctx: QueueContext): Promise<void> {
	const workers = new Set<string>();
	for (const example of examples()) {
		if (!EXPECTED[example.id]) continue;
		await ctx.sandbox.reset();
		const before = await executionIds(ctx, example.id);
		const { executionId } = await runManually(ctx.stack.main, example.id, MANUAL_TRIGGER);
		const [execution] = await newExecutions(ctx, example.id, before);
		ctx.checks.check(`${example.name}: POST /rest/workflows/:id/run answered execution ${executionId}`, execution?.id === executionId);
		const worker = ranOnWorker(ctx, `manual ${example.name}`, execution);
		if (worker) workers.add(worker);
		ctx.checks.equal(`manual ${example.name}: FanReach as the example asks`, EXPECTED[example.id](await ctx.sandbox.state()), WANTED[example.id]);
	}
	ctx.observed['manual runs ran on'] = [...workers].sort().join(', ');
}

export async function productionRuns(ctx: QueueContext): Promise<void> {
	for (const example of examples()) {
		if (!EXPECTED[example.id]) continue;
		const id = `${example.id}Hook`.slice(0, 36);
		await activate(ctx.stack.main, id);
		await ctx.sandbox.reset();
		const before = await executionIds(ctx, id);
		const response = await postWebhook(ctx, `queue-${example.id}`, {});
		ctx.checks.check(`webhook ${example.name}: POST /webhook/queue-${example.id} answered ${response.status}`, response.ok);
		const [execution] = await newExecutions(ctx, id, before);
		ranOnWorker(ctx, `webhook ${example.name}`, execution);
		ctx.checks.equal(`webhook ${example.name}: mode webhook, FanReach as the example asks`, [execution?.mode, EXPECTED[example.id](await ctx.sandbox.state())], ['webhook', WANTED[example.id]]);
		await deactivate(ctx.stack.main, id);
	}
	// the Schedule Trigger, activated on main, every second: its runs go to the workers as well
	const tick = 'fanpassScheduledRefreshTick';
	await ctx.sandbox.reset();
	const before = await executionIds(ctx, tick);
	await activate(ctx.stack.main, tick);
	const [execution] = await newExecutions(ctx, tick, before);
	await deactivate(ctx.stack.main, tick);
	ranOnWorker(ctx, 'schedule trigger (every second)', execution);
	ctx.checks.equal('schedule trigger: mode trigger, FanReach holds the refreshed segment', [execution?.mode, EXPECTED.fanpassScheduledRefresh(await ctx.sandbox.state())], ['trigger', WANTED.fanpassScheduledRefresh]);
}
