import fc from 'fast-check';
import { unzipSync } from 'fflate';
import { crc32 as zlibCrc32, inflateRawSync } from 'node:zlib';

import { csvByteLength, csvCell, csvChunks, csvFileData, parseCsv, type CsvRows } from '../../nodes/FanPass/helpers/csv';
import { crc32, zipOneFile } from '../../nodes/FanPass/helpers/zipFile';

/** The archive's fields read back by hand (APPNOTE 6.3), to check what fflate does not (CRC, sizes, offsets). */
function readSingleEntryZip(zip: Buffer) {
	const end = zip.length - 22;
	expect(zip.readUInt32LE(end)).toBe(0x06054b50);
	expect(zip.readUInt16LE(end + 10)).toBe(1);
	const directory = zip.readUInt32LE(end + 16);
	expect(directory + zip.readUInt32LE(end + 12)).toBe(end);
	expect(zip.readUInt32LE(directory)).toBe(0x02014b50);
	expect(zip.readUInt32LE(0)).toBe(0x04034b50);
	const nameLength = zip.readUInt16LE(26);
	const compressed = zip.readUInt32LE(18);
	const data = zip.subarray(30 + nameLength, 30 + nameLength + compressed);
	expect(30 + nameLength + compressed).toBe(directory);
	// the central directory repeats the local header's CRC and sizes
	expect(zip.subarray(directory + 16, directory + 28).equals(zip.subarray(14, 26))).toBe(true);
	return {
		name: zip.subarray(30, 30 + nameLength).toString('utf8'),
		utf8Flag: (zip.readUInt16LE(6) & 0x0800) !== 0,
		crc: zip.readUInt32LE(14),
		size: zip.readUInt32LE(22),
		inflated: inflateRawSync(data),
	};
}

const chunked = (bytes: Uint8Array, cuts: number[]) => {
	const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
	const chunks: Buffer[] = [];
	let start = 0;
	for (const point of [...points, bytes.length]) {
		chunks.push(Buffer.from(bytes.subarray(start, point)));
		start = point;
	}
	return chunks;
};

describe('zipOneFile: a ZIP written by hand, read by independent readers', () => {
	it('computes the standard CRC-32', () => {
		expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
		expect(crc32(Buffer.alloc(0))).toBe(0);
		fc.assert(
			fc.property(fc.uint8Array({ maxLength: 2000 }), fc.nat(2000), (bytes, cut) => {
				const at = cut % (bytes.length + 1);
				expect(crc32(bytes.subarray(at), crc32(bytes.subarray(0, at)))).toBe(zlibCrc32(bytes));
			}),
		);
	});

	it('round-trips any content in any chunking, byte for byte (fflate and zlib read it)', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.oneof(fc.uint8Array({ maxLength: 5000 }), fc.string({ maxLength: 3000 }).map((text) => new Uint8Array(Buffer.from(text)))),
				fc.array(fc.nat(6000), { maxLength: 6 }),
				fc.oneof(fc.constant('fans.csv'), fc.stringMatching(/^[a-zA-Z0-9 ._-]{1,20}\.csv$/), fc.constant('fans-é.csv')),
				async (content, cuts, name) => {
					const zip = (await zipOneFile(name, chunked(content, cuts)))!;
					const bytes = Buffer.concat(zip.parts);
					expect(bytes.length).toBe(zip.byteLength);
					expect(zip.entrySize).toBe(content.length);
					const entries = unzipSync(bytes);
					expect(Object.keys(entries)).toEqual([name]);
					expect(Buffer.from(entries[name]).equals(Buffer.from(content))).toBe(true);
					const read = readSingleEntryZip(bytes);
					expect(read).toMatchObject({ name, utf8Flag: !/^[\x20-\x7e]*$/.test(name), crc: zlibCrc32(content), size: content.length });
					expect(read.inflated.equals(Buffer.from(content))).toBe(true);
				},
			),
			{ numRuns: 60 },
		);
	});

	it('gives the same bytes for the same content (a fixed date, no randomness)', async () => {
		const content = [Buffer.from('user_id\r\n1\r\n2\r\n')];
		const first = Buffer.concat((await zipOneFile('a.csv', content))!.parts);
		const second = Buffer.concat((await zipOneFile('a.csv', content))!.parts);
		expect(first.equals(second)).toBe(true);
	});

	it('stops between chunks when the execution is cancelled', async () => {
		let asked = 0;
		const content = Array.from({ length: 10 }, () => Buffer.alloc(1000, 0x31));
		await expect(zipOneFile('a.csv', content, () => ++asked > 3)).resolves.toBeUndefined();
		expect(asked).toBe(4);
	});
});

describe('csvCell', () => {
	it('quotes exactly the cells RFC 4180 needs quoted: a quote, a comma, a line break, or a space (\\s) at either edge', () => {
		const spaces = [' ', '\t', '\v', '\f', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff', '\u0085', '\u180e', '\u200b'];
		const unit = fc.oneof(fc.constantFrom(...spaces, '"', ',', '\r', '\n', 'a', '7', 'é', '😀'), fc.string({ maxLength: 2 }));
		fc.assert(
			fc.property(fc.array(unit, { maxLength: 6 }).map((parts) => parts.join('')), (value) => {
				const quoted = /[",\r\n]|^\s|\s$/.test(value);
				expect(csvCell(value)).toBe(quoted ? `"${value.replace(/"/g, '""')}"` : value);
			}),
			{ numRuns: 2000 },
		);
	});
});

describe('csvChunks: the CSV of a segment without a row array per ID', () => {
	const cell = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('a,b', 'say "hi"', 'two\nlines', ' edge ', 'é€😀'));
	it('equals the RFC 4180 CSV of the same rows, in any size, and reads back to them', () => {
		fc.assert(
			fc.property(
				fc.uniqueArray(fc.string({ minLength: 1, maxLength: 10 }), { maxLength: 40 }),
				fc.array(cell, { maxLength: 3 }),
				fc.boolean(),
				(ids, values, withValues) => {
					const header = ['user_id', ...(withValues ? values.map((_, i) => `c${i}`) : [])];
					const rows: CsvRows = { header, ids: new Set(ids), ...(withValues ? { valuesOf: () => values } : {}) };
					const expected = [header, ...ids.map((id) => [id, ...(withValues ? values : [])])];
					const text = [...csvChunks(rows)].join('');
					const size = csvByteLength(rows);
					expect(size).toBe(Buffer.byteLength(text));
					const file = csvFileData(rows, size);
					const body = Buffer.alloc(size + 4, 0x2d);
					file.writeInto(body, 2);
					expect(body.toString('utf8')).toBe(`--${text}--`);
					expect(file.head.equals(Buffer.from(text).subarray(0, Math.min(16, file.head.length)))).toBe(true);
					expect(text.endsWith('\r\n')).toBe(true);
					expect(parseCsv(text)).toEqual(expected);
				},
			),
			{ numRuns: 200 },
		);
	});

	it('its head is the file\'s first 16 bytes even when a character is cut there (found by the property above)', () => {
		// "user_id\r\nabcdef" is 15 UTF-16 units: the emoji's first half is the 16th
		const rows: CsvRows = { header: ['user_id'], ids: new Set(['abcdef😀']) };
		const file = csvFileData(rows, csvByteLength(rows));
		expect(file.head).toEqual(Buffer.from('user_id\r\nabcdef😀\r\n').subarray(0, 16));
	});

	it('refuses to send a CSV whose IDs changed between sizing and writing, also when a multibyte line is cut', () => {
		// sized for "abcde" (7 bytes with its CRLF), written as "ab€€" (10): the room takes "ab€" and the CRLF,
		// and a check of UTF-16 units alone let it through
		let reads = 0;
		const changing: CsvRows['ids'] = {
			forEach: (visit) => visit(reads++ === 0 ? 'abcde' : 'ab€€'),
			[Symbol.iterator]: () => ['abcde'][Symbol.iterator](),
		};
		const rows: CsvRows = { header: ['user_id'], ids: changing };
		const size = csvByteLength(rows);
		expect(() => csvFileData(rows, size).writeInto(Buffer.alloc(size), 0)).toThrow(/the CSV changed while it was written \(14 of 16 bytes\)/);
	});

	it('splits a long list into chunks of whole lines', () => {
		const ids = new Set(Array.from({ length: 40000 }, (_, i) => `id${i}`));
		const chunks = [...csvChunks({ header: ['user_id'], ids })];
		expect(chunks.length).toBe(Math.ceil((ids.size + 1) / 4096));
		for (const chunk of chunks) expect(chunk.endsWith('\r\n')).toBe(true);
		expect(chunks.join('')).toBe(['user_id', ...ids].join('\r\n') + '\r\n');
	});
});
