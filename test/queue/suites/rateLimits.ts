/**
 * Rate limits across executions: FanPass throttles (every update_user request answers 429 Retry-After 8 for
 * 8 s after the first one). Executions arriving one after another on the workers:
 *   shared credential: the first 429 on a worker closes that worker's gate for the host + credential, and
 *     the executions that come after hold instead of meeting the throttle themselves;
 *   one credential per execution (same token and host, another credential id): no gate is shared, so each
 *     execution collects its own 429 (what every execution did before the gate was process-wide).
 * Fewer 429s in total with the shared credential, and every user ends right in both.
 */
import { activate, deactivate } from '../../../scripts/n8n-runtime/n8nExecutions';
import { secs, sleep } from '../../../scripts/n8n-runtime/processes';
import { executionIds, newExecutions, postWebhook, type QueueContext } from '../context';
import { RATE_CREDENTIALS } from '../workflows';

const THROTTLE = { kind: 'status', status: 429, retryAfter: '8', windowMs: 8000, path: 'update_user' };
const USERS_EACH = 3;

async function throttled(ctx: QueueContext, label: string, workflowFor: (k: number) => string): Promise<number> {
	const ids = [...new Set(RATE_CREDENTIALS.map((_, k) => workflowFor(k)))];
	for (const id of ids) await activate(ctx.stack.main, id);
	await ctx.sandbox.reset();
	await ctx.sandbox.addFaults([THROTTLE]);
	const before = new Map(await Promise.all(ids.map(async (id) => [id, await executionIds(ctx, id)] as const)));
	const t0 = Date.now();
	for (const [k] of RATE_CREDENTIALS.entries()) {
		const response = await postWebhook(ctx, `queue-${workflowFor(k)}`, { users: Array.from({ length: USERS_EACH }, (_, i) => `${label}${k}-${i}`).join(','), tier: label });
		if (!response.ok) ctx.checks.check(`${label}: webhook call ${k} accepted`, false, response.status);
		await sleep(500); // one after another, within the 8 s throttle
	}
	const executions = (await Promise.all(ids.map((id) => newExecutions(ctx, id, before.get(id) as Set<string>, ids.length === 1 ? RATE_CREDENTIALS.length : 1, 120_000)))).flat();
	const ms = Date.now() - t0;
	for (const id of ids) await deactivate(ctx.stack.main, id);
	ctx.checks.equal(`${label}: ${RATE_CREDENTIALS.length} executions, all success`, executions.map((e) => e.status), RATE_CREDENTIALS.map(() => 'success'));
	const state = await ctx.sandbox.state();
	const wrong = RATE_CREDENTIALS.flatMap((_, k) => Array.from({ length: USERS_EACH }, (_, i) => `${label}${k}-${i}`)).filter((u) => state.users[u]?.custom.loyalty_tier !== label);
	ctx.checks.equal(`${label}: all ${RATE_CREDENTIALS.length * USERS_EACH} users have loyalty_tier ${label}`, wrong, []);
	const rateLimited = state.requests.filter((r) => r.path === '/api/v1/update_user' && r.status === 429).length;
	ctx.measured[`rate limits: 429s with ${label === 'shared' ? 'one shared credential' : 'a credential per execution'} (${RATE_CREDENTIALS.length} executions)`] = `${rateLimited} in ${secs(ms)}`;
	return rateLimited;
}

export async function rateLimitsAcrossExecutions(ctx: QueueContext): Promise<void> {
	const shared = await throttled(ctx, 'shared', () => 'queueUpdateShared');
	const own = await throttled(ctx, 'own', (k) => `queueUpdateOwn${k}`);
	ctx.checks.check(`fewer 429s with the process-wide gate: ${shared} with one credential vs ${own} with one per execution`, shared < own, { shared, own });
}
