/**
 * A ZIP archive holding one file, written by hand (APPNOTE 6.3: local header, deflated data,
 * central directory, end record). `zlib` is a forbidden import for verified n8n nodes, so the
 * deflating is done by the `CompressionStream('deflate-raw')` global (Node.js 20.12 and later).
 */

const CRC_TABLE = (() => {
	const table = new Int32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c;
	}
	return table;
})();

/** Continues a CRC-32 (ZIP's, IEEE 802.3) over `bytes`; start with 0. */
export function crc32(bytes: Uint8Array, previous = 0): number {
	let crc = ~previous;
	for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
	return ~crc >>> 0;
}

/** ZIP's sizes and offsets are 32-bit; ZIP64 is never needed under FanPass's 10 MB. */
const MAX_ZIP32 = 0xfffffffe;
/** 1980-01-01 00:00, the earliest DOS date: the same input always gives the same bytes. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const VERSION = 20;
const DEFLATE = 8;
const UTF8_NAME = 0x0800;

export interface ZippedFile {
	/** The archive, in parts (no copy into one buffer: the multipart body is the one copy). */
	parts: Buffer[];
	byteLength: number;
	/** The size of the file inside, uncompressed. */
	entrySize: number;
}

/** A zip as a file written into the request body. */
export function zipFileData(zip: ZippedFile) {
	return {
		byteLength: zip.byteLength,
		head: zip.parts[0].subarray(0, 16),
		writeInto(target: Buffer, offset: number) {
			let at = offset;
			for (const part of zip.parts) at += part.copy(target, at);
		},
	};
}

/**
 * The fields a local header and its central-directory entry share, in the same order (version needed,
 * flags, method, time, date, CRC-32, sizes, name length), written at `at`.
 */
function writeEntryFields(target: Buffer, at: number, name: Buffer, flags: number, crc: number, compressed: number, size: number): void {
	target.writeUInt16LE(VERSION, at);
	target.writeUInt16LE(flags, at + 2);
	target.writeUInt16LE(DEFLATE, at + 4);
	target.writeUInt16LE(DOS_TIME, at + 6);
	target.writeUInt16LE(DOS_DATE, at + 8);
	target.writeUInt32LE(crc, at + 10);
	target.writeUInt32LE(compressed, at + 14);
	target.writeUInt32LE(size, at + 18);
	target.writeUInt16LE(name.length, at + 22);
}

function localHeader(name: Buffer, flags: number, crc: number, compressed: number, size: number): Buffer {
	const header = Buffer.alloc(30);
	header.writeUInt32LE(0x04034b50, 0);
	writeEntryFields(header, 4, name, flags, crc, compressed, size);
	// extra field length: 0
	return Buffer.concat([header, name]);
}

function centralDirectory(name: Buffer, flags: number, crc: number, compressed: number, size: number): Buffer {
	const entry = Buffer.alloc(46);
	entry.writeUInt32LE(0x02014b50, 0);
	entry.writeUInt16LE(VERSION, 4); // made by: MS-DOS, 2.0
	writeEntryFields(entry, 6, name, flags, crc, compressed, size);
	// extra field, comment, disk number, internal and external attributes, local header offset: all 0
	return Buffer.concat([entry, name]);
}

function endRecord(directorySize: number, directoryOffset: number): Buffer {
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(1, 8);
	end.writeUInt16LE(1, 10);
	end.writeUInt32LE(directorySize, 12);
	end.writeUInt32LE(directoryOffset, 16);
	return end;
}

/**
 * Zips one file whose content comes as chunks (read once, in order, one at a time: the content
 * is never held whole). `isCancelled` is asked between chunks: when it says yes, the zipping
 * stops and the result is undefined, so stopping the execution ends it.
 */
export async function zipOneFile(
	entryName: string,
	content: Iterable<Uint8Array>,
	isCancelled: () => boolean = () => false,
): Promise<ZippedFile | undefined> {
	const compressor = new CompressionStream('deflate-raw');
	const writer = compressor.writable.getWriter();
	const compressed: Buffer[] = [];
	let compressedSize = 0;
	let readFailure: unknown;
	const reading = (async () => {
		const reader = compressor.readable.getReader();
		for (;;) {
			const { done, value } = await reader.read();
			if (done) return;
			const chunk = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
			compressed.push(chunk);
			compressedSize += chunk.length;
		}
	})().catch((error: unknown) => {
		readFailure = error;
	});
	let crc = 0;
	let entrySize = 0;
	for (const chunk of content) {
		if (isCancelled()) {
			await writer.abort().catch(() => undefined);
			await reading;
			return undefined;
		}
		crc = crc32(chunk, crc);
		entrySize += chunk.length;
		await writer.write(chunk);
	}
	await writer.close();
	await reading;
	if (readFailure !== undefined) throw new Error(`deflating failed: ${String(readFailure)}`);
	if (entrySize > MAX_ZIP32 || compressedSize > MAX_ZIP32) throw new Error('the file is too large for a ZIP without ZIP64');
	const name = Buffer.from(entryName, 'utf8');
	const flags = /^[\x20-\x7e]*$/.test(entryName) ? 0 : UTF8_NAME;
	const head = localHeader(name, flags, crc, compressedSize, entrySize);
	const directory = centralDirectory(name, flags, crc, compressedSize, entrySize);
	const directoryOffset = head.length + compressedSize;
	const end = endRecord(directory.length, directoryOffset);
	return {
		parts: [head, ...compressed, directory, end],
		byteLength: directoryOffset + directory.length + end.length,
		entrySize,
	};
}
