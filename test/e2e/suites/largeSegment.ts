/** A segment over 10 MB as CSV in the real n8n: one zipped upload (CompressionStream in n8n's Node.js). */
import { mustSucceed, type SuiteContext } from './context';

export async function largeSegmentZipped(ctx: SuiteContext): Promise<void> {
	const { checks } = ctx;
	const record = await ctx.execute('fanpassE2eLargeZip');
	const { execution, state } = record;
	mustSucceed(ctx, record);
	const requests = state.requests.filter((r) => r.path === '/api/v1/segments');
	const file = requests[0]?.multipart?.file;
	checks.equal('one segments request, a zip under 10 MB', [requests.length, requests[0]?.status, file?.fileName, (file?.size ?? Infinity) < 10 * 1024 * 1024], [1, 200, 'e2eLargeZip.zip', true]);
	const out = execution.nodeOutput['Upsert the segment']?.[0]?.json ?? {};
	checks.equal('output: 1,000,000 users, file mode, zipped from a 14,000,009-byte CSV', [out.userCount, out.mode, (out.zippedFrom as { fileSize?: number } | undefined)?.fileSize], [1_000_000, 'file', 14_000_009]);
	const members = state.segments.e2eLargeZip?.userIds ?? [];
	checks.equal('sandbox: exactly 1,000,000 distinct twelve-digit members, the last page\'s included', [members.length, new Set(members).size, members.every((id) => /^\d{12}$/.test(id)), members.includes(String(100000000000 + ((999 * 1000 + 999) * 2654435761) % 900000000000))], [1_000_000, 1_000_000, true, true]);
}
