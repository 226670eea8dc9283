/**
 * What a generated segment file costs the node, outside n8n, and what fits in FanPass's 10 MB.
 *
 *   npx tsx scripts/bench/segmentFileMemory.ts            memory of the file path, before and after
 *   npx tsx scripts/bench/segmentFileMemory.ts --fit      the most IDs one zipped file holds
 *
 * Memory: each measurement is a fresh process (node --expose-gc). It builds the segment's ID set (the
 * node holds it anyway), collects garbage, resets the kernel's peak-RSS mark (/proc/self/clear_refs),
 * then builds the file and its multipart body; the peak RSS above the mark is the transient memory of
 * the file path (everything: strings, buffers, garbage not yet collected). "before" is the 0.1.0 code
 * (a row array per ID, per-row joins, one Buffer, then Buffer.concat for multipart); "after" is the
 * node's code (helpers/generatedSegmentFile.ts, transport/multipart.ts). Linux only.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type { IExecuteFunctions } from 'n8n-workflow';

import { generatedSegmentFile } from '../../nodes/FanPass/helpers/generatedSegmentFile';
import { csvCell } from '../../nodes/FanPass/helpers/csv';
import { byteLengthOf, encodeMultipart } from '../../nodes/FanPass/transport/multipart';
import { zipOneFile } from '../../nodes/FanPass/helpers/zipFile';

const MAX_FILE_BYTES = 10 * 1024 * 1024;
const MB = 1024 * 1024;

function randomIds(count: number, seed: number): Set<string> {
	let state = seed;
	const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
	const ids = new Set<string>();
	while (ids.size < count) ids.add(String(100_000_000_000 + ((next() * 2 ** 20 + (next() >>> 12)) % 900_000_000_000)));
	return ids;
}

const consecutiveIds = (count: number) => new Set(Array.from({ length: count }, (_, i) => String(100_000_000_000 + i)));

function vm(field: 'VmRSS' | 'VmHWM'): number {
	const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((row) => row.startsWith(`${field}:`)) ?? '';
	return Number(/(\d+)/.exec(line)?.[1] ?? 0) * 1024;
}

/** The 0.1.0 file path, kept here to measure against. */
function before(ids: Set<string>): number {
	const rows = [['user_id'], ...[...ids].map((id) => [id])];
	const data = Buffer.from(rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n', 'utf8');
	const body = Buffer.concat([Buffer.from('--b\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n'), data, Buffer.from('\r\n--b--\r\n')]);
	return body.length > MAX_FILE_BYTES ? -data.length : data.length;
}

/** Only what generatedSegmentFile asks of n8n: the cancel signal, and the node for an error. */
const context = { getExecutionCancelSignal: () => undefined, getNode: () => ({ name: 'FanPass', type: 'fanPass', typeVersion: 2, parameters: {} }) } as unknown as IExecuteFunctions;

async function after(ids: Set<string>): Promise<number> {
	const { file } = await generatedSegmentFile(context, 0, { tag: 'crmExport', fileName: 'crmExport.csv', rows: { header: ['user_id'], ids }, idCount: ids.size });
	const { body } = encodeMultipart({ title: 'CRM Export', tag: 'crmExport' }, { fieldName: 'file', fileName: file.fileName, contentType: file.mimeType ?? '', data: file.data });
	return body.length > 0 ? byteLengthOf(file.data) : 0;
}

async function child(variant: 'before' | 'after', count: number): Promise<void> {
	const ids = randomIds(count, 7);
	const gc = (globalThis as { gc?: () => void }).gc;
	gc?.();
	const base = vm('VmRSS');
	writeFileSync('/proc/self/clear_refs', '5');
	const started = process.hrtime.bigint();
	const sent = variant === 'before' ? before(ids) : await after(ids);
	const ms = Number(process.hrtime.bigint() - started) / 1e6;
	process.stdout.write(JSON.stringify({ sent, peakExtra: vm('VmHWM') - base, ms }));
}

async function fit(): Promise<void> {
	const zippedSize = async (ids: Set<string>) => {
		const csv = Buffer.from(['user_id', ...ids].join('\r\n') + '\r\n');
		return (await zipOneFile('a.csv', [csv]))?.byteLength ?? 0;
	};
	for (const [label, make] of [['random twelve-digit', (n: number) => randomIds(n, 11)], ['consecutive twelve-digit', consecutiveIds]] as const) {
		let low = 100_000;
		let high = label.startsWith('random') ? 2_000_000 : 20_000_000;
		while (high - low > 5_000) {
			const middle = Math.round((low + high) / 2);
			if ((await zippedSize(make(middle))) <= MAX_FILE_BYTES) low = middle;
			else high = middle;
		}
		const size = await zippedSize(make(low));
		console.log(`${label} IDs: ${low.toLocaleString('en-US')} fit (zip ${(size / MB).toFixed(2)} MB, CSV ${((9 + low * 14) / MB).toFixed(1)} MB)`);
	}
}

async function main(): Promise<void> {
	const [mode, variant, count] = process.argv.slice(2);
	if (mode === '--child') return await child(variant as 'before' | 'after', Number(count));
	if (mode === '--fit') return await fit();
	console.log('| IDs (random, 12 digits) | CSV | sent | before: peak extra RSS | after: peak extra RSS | after ÷ file sent | before / after time |');
	console.log('| ---: | ---: | --- | ---: | ---: | ---: | ---: |');
	for (const ids of [700_000, 1_000_000]) {
		const run = (variant: string) =>
			JSON.parse(execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, '--child', variant, String(ids)], { encoding: 'utf8' })) as { sent: number; peakExtra: number; ms: number };
		const old = run('before');
		const now = run('after');
		const csv = 9 + ids * 14;
		const sent = now.sent === csv ? `CSV ${(csv / MB).toFixed(2)} MB` : `zip ${(now.sent / MB).toFixed(2)} MB`;
		const oldNote = old.sent < 0 ? ' (then refused: over 10 MB)' : '';
		console.log(`| ${ids.toLocaleString('en-US')} | ${(csv / MB).toFixed(2)} MB | ${sent} | ${(old.peakExtra / MB).toFixed(0)} MB${oldNote} | ${(now.peakExtra / MB).toFixed(0)} MB | ×${(now.peakExtra / now.sent).toFixed(1)} | ${old.ms.toFixed(0)} / ${now.ms.toFixed(0)} ms |`);
	}
}

void main();
