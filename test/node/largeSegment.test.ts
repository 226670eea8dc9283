import { unzipSync } from 'fflate';

import { startSandbox, type SandboxHandle } from '../../sandbox/server';
import { GOOD_TOKEN, requestsTo, runFanPass, upsertParameters } from './fixtures';

const SEGMENTS = '/api/v1/segments';
const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** `count` distinct random twelve-digit IDs (they compress about as badly as real IDs do). */
function randomIds(count: number): string[] {
	const ids = new Set<string>();
	while (ids.size < count) ids.add(String(100_000_000_000 + Math.floor(Math.random() * 900_000_000_000)));
	return [...ids];
}

/** Pages of IDs, one item per page, as a paginated warehouse query gives them. */
const pages = (ids: string[], size: number) =>
	Array.from({ length: Math.ceil(ids.length / size) }, (_, page) => ({ json: { user_id: ids.slice(page * size, (page + 1) * size) } }));

describe('Large segments: a CSV over 10 MB is sent zipped, in one request', () => {
	jest.setTimeout(180_000);
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startSandbox({ tokens: [GOOD_TOKEN], customAttributes: ['loyalty_tier', 'home_venue', 'note'] });
	});
	afterAll(async () => await sandbox.close());
	beforeEach(() => sandbox.reset());

	it('Create or Update: 1,000,000 random twelve-digit IDs (a 13.35 MB CSV) are one zipped request, and the segment holds exactly them', async () => {
		const ids = randomIds(1_000_000);
		const result = await runFanPass(sandbox, {
			parameters: upsertParameters({ tag: 'crmExport', title: 'CRM Export' }),
			items: pages(ids, 1000),
		});
		expect(result.error).toBeUndefined();
		const sent = requestsTo(sandbox, SEGMENTS);
		expect(sent).toHaveLength(1);
		const file = sent[0].multipart?.file;
		expect(file).toMatchObject({ fileName: 'crmExport.zip', mimeType: 'application/zip', truncated: false });
		expect(file?.size).toBeLessThan(MAX_FILE_BYTES);
		const csv = Buffer.from(unzipSync(new Uint8Array(file!.bytes))['crmExport.csv']);
		expect(csv.length).toBe(9 + ids.length * 14);
		expect(csv.length).toBeGreaterThan(MAX_FILE_BYTES);
		expect(csv.toString('utf8')).toBe(['user_id', ...ids].join('\r\n') + '\r\n');
		const members = sandbox.state.segments.get('crmExport')?.userIds ?? [];
		expect(members.length).toBe(ids.length);
		expect(new Set(members)).toEqual(new Set(ids));
		const out = result.output[0].json;
		expect(out).toMatchObject({ mode: 'file', userCount: 1_000_000, fileName: 'crmExport.zip', fileSize: file?.size, zippedFrom: { fileName: 'crmExport.csv', fileSize: csv.length } });
		expect(out.fileModeReason).toContain('zipped: the CSV is 13.35 MB');
		expect(result.output[0].pairedItem).toHaveLength(1000);
	});

	it('refuses, before sending anything, a segment that is over 10 MB even zipped, and never suggests splitting it', async () => {
		const ids = randomIds(1_700_000);
		const result = await runFanPass(sandbox, { parameters: upsertParameters({ tag: 'huge' }), items: pages(ids, 10_000) });
		expect(sandbox.state.requests).toHaveLength(0);
		const message = result.error?.message ?? '';
		expect(message).toMatch(/^Item 0: segment "huge" is too large for FanPass: its 1,700,000 user IDs make a 22\.70 MB CSV, and zipped it is still 1\d\.\d\d MB; FanPass accepts one file of at most 10 MB/);
		const description = result.error?.description ?? '';
		expect(description).toContain('Nothing was sent');
		expect(description).toContain('About 1.6 million random twelve-digit IDs fit');
		expect(`${message} ${description}`).not.toMatch(/split|several segments|batch/i);
	});

	it('Upload File → Build a CSV: a file over 10 MB is sent as a zip of exactly that CSV, attributes included', async () => {
		const ids = randomIds(130_000);
		const tiers = ['gold', 'silver, "plus"', 'bronze'];
		const items = pages(ids, 1000).map((item, page) => ({ json: { ...item.json, tier: tiers[page % 3], venue: `Venue ${page % 7} — North Stand, Gate ${page % 11}`, note: 'x'.repeat(30) } }));
		const result = await runFanPass(sandbox, {
			parameters: {
				resource: 'segment',
				operation: 'uploadFile',
				title: 'Season',
				tag: 'season',
				sourceType: 0,
				fileSource: 'items',
				csvUserId: '={{ $json.user_id }}',
				csvColumns: {
					column: [
						{ name: 'loyalty_tier', value: '={{ $json.tier }}' },
						{ name: 'home_venue', value: '={{ $json.venue }}' },
						{ name: 'note', value: '={{ $json.note }}' },
					],
				},
				simplify: false,
				options: { fileName: 'season-2026.csv' },
			},
			items,
		});
		expect(result.error).toBeUndefined();
		const sent = requestsTo(sandbox, SEGMENTS);
		expect(sent).toHaveLength(1);
		const file = sent[0].multipart!.file!;
		expect(file).toMatchObject({ fileName: 'season-2026.zip', mimeType: 'application/zip' });
		const quote = (value: string) => (/[",]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
		const expected =
			['user_id,loyalty_tier,home_venue,note', ...ids.map((id, i) => [id, tiers[Math.floor(i / 1000) % 3], `Venue ${Math.floor(i / 1000) % 7} — North Stand, Gate ${Math.floor(i / 1000) % 11}`, 'x'.repeat(30)].map(quote).join(','))].join('\r\n') + '\r\n';
		expect(Buffer.byteLength(expected)).toBeGreaterThan(MAX_FILE_BYTES);
		const csv = Buffer.from(unzipSync(new Uint8Array(file.bytes))['season-2026.csv']).toString('utf8');
		expect(csv).toBe(expected);
		expect(sandbox.state.segments.get('season')?.userIds.length).toBe(ids.length);
		expect(sandbox.state.users.get(ids[1500])?.custom).toMatchObject({ loyalty_tier: 'silver, "plus"', note: 'x'.repeat(30) });
		expect(result.output[0].json).toMatchObject({ fileName: 'season-2026.zip', rows: ids.length, zippedFrom: { fileName: 'season-2026.csv', fileSize: Buffer.byteLength(expected) } });
	});

	it('a CSV of at most 10 MB is still sent as CSV', async () => {
		const ids = randomIds(20_000);
		const result = await runFanPass(sandbox, { parameters: upsertParameters({ tag: 'mid', options: { fileModeThreshold: 10 } }), items: pages(ids, 1000) });
		expect(result.error).toBeUndefined();
		const [request] = requestsTo(sandbox, SEGMENTS);
		expect(request.multipart?.file).toMatchObject({ fileName: 'mid.csv', mimeType: 'text/csv' });
		expect(request.multipart?.file?.bytes.toString('utf8')).toBe(['user_id', ...ids].join('\r\n') + '\r\n');
		expect(result.output[0].json.zippedFrom).toBeUndefined();
	});
});
