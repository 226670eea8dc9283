import { randomBytes } from 'crypto';

/** An item's IDs from this many on are kept as the item's own array; fewer are copied into a shared one. */
const OWN_ARRAY_FROM = 256;

/** 512 Ki slots of 32 bits: 2 MB, what about 370,000 IDs take in one pass. */
const TABLE_SLOTS = 512 * 1024;

/** How many IDs a walk hands on at once: 32 kB of references, collected young. */
const RUN_LENGTH = 4096;

/** FNV-1a over UTF-16 units, seeded at random per set: IDs that collide in one run do not in the next. */
function hash(text: string, seed: number): number {
	let h = seed ^ 0x811c9dc5;
	for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
	return h ^ (h >>> 15);
}

/**
 * The distinct user IDs of a segment, in the order first seen. A page of IDs stays the array the item
 * gave (never changed; smaller ones share one array, 8 bytes per ID), and a repeat is one bit: a
 * million IDs in pages cost about 1 bit each once counted, and a table of at most 2 MB while being
 * counted, where a Set<string> holds 20 to 35 bytes per ID.
 */
export class UniqueIds implements Iterable<string> {
	/** @param tableSlots the counting table's size past which IDs are counted in passes (2 MB) */
	constructor(private readonly tableSlots = TABLE_SLOTS) {}

	private readonly arrays: Array<readonly string[]> = [];
	private lastIsShared = false;
	private received = 0;
	/** A bit per ID received, set for each repeat of an ID already seen; undefined until counted. */
	private repeats: Uint8Array | undefined;
	private distinct = 0;

	/** Adds IDs; an array kept as it is must not change afterwards (the node never changes input). */
	add(ids: readonly string[]): void {
		if (ids.length === 0) return;
		this.repeats = undefined;
		this.received += ids.length;
		if (ids.length >= OWN_ARRAY_FROM) {
			this.arrays.push(ids);
			this.lastIsShared = false;
			return;
		}
		if (!this.lastIsShared) {
			this.arrays.push([]);
			this.lastIsShared = true;
		}
		const shared = this.arrays[this.arrays.length - 1] as string[];
		for (const id of ids) shared.push(id);
	}

	/** How many distinct IDs. */
	get size(): number {
		this.count();
		return this.distinct;
	}

	/** How many IDs were repeats of one already added. */
	get duplicates(): number {
		this.count();
		return this.received - this.distinct;
	}

	/** Each distinct ID in the order first seen, with an iterator result per run of IDs, not per ID. */
	forEach(visit: (id: string) => void): void {
		for (const run of this.runs()) for (let i = 0; i < run.length; i++) visit(run[i]);
	}

	*[Symbol.iterator](): Generator<string> {
		for (const run of this.runs()) yield* run;
	}

	/** The distinct IDs in order, in runs of at most RUN_LENGTH in one array that each run reuses. */
	private *runs(): Generator<readonly string[]> {
		const repeats = this.count();
		const run: string[] = [];
		let position = 0;
		for (const ids of this.arrays) {
			for (let i = 0; i < ids.length; i++, position++) {
				if ((repeats[position >> 3] & (1 << (position & 7))) !== 0) continue;
				run.push(ids[i]);
				if (run.length === RUN_LENGTH) {
					yield run;
					run.length = 0;
				}
			}
		}
		if (run.length > 0) yield run;
	}

	/**
	 * Marks every repeat with an open-addressing table of positions, at most 71% full and dropped
	 * afterwards. A slot is 32 bits: the position, and in the bits it leaves free a part of the ID's
	 * hash, so that a probe compares IDs only when that part matches. Past TABLE_SLOTS the IDs are
	 * counted in passes, each over the IDs of one share of the hashes, so the table stays at 2 MB.
	 */
	private count(): Uint8Array {
		if (this.repeats) return this.repeats;
		const starts = new Int32Array(this.arrays.length);
		for (let i = 1; i < this.arrays.length; i++) starts[i] = starts[i - 1] + this.arrays[i - 1].length;
		const idAt = (position: number): string => {
			let low = 0;
			let high = starts.length - 1;
			while (low < high) {
				const middle = (low + high + 1) >> 1;
				if (starts[middle] <= position) low = middle;
				else high = middle - 1;
			}
			return this.arrays[low][position - starts[low]];
		};
		// a slot holds position + 1 (0 is empty) in its low bits, and the top of the hash above them
		const positionBits = 32 - Math.clz32(this.received);
		const positionMask = 2 ** positionBits - 1;
		const slots = Math.max(16, Math.ceil(this.received * 1.4));
		const passes = Math.ceil(slots / this.tableSlots);
		const seed = randomBytes(4).readInt32LE(0);
		let capacity = Math.ceil(slots / passes);
		for (;;) {
			const repeats = new Uint8Array(Math.ceil(this.received / 8));
			const table = new Uint32Array(capacity);
			// the most a pass may fill: a table that full means a share far above its size, so count again, larger
			const limit = Math.floor(capacity * 0.9);
			let distinct = 0;
			let fits = true;
			for (let pass = 0; pass < passes && fits; pass++) {
				if (pass > 0) table.fill(0);
				let filled = 0;
				let position = 0;
				walk: for (const ids of this.arrays) {
					for (let i = 0; i < ids.length; i++, position++) {
						const id = ids[i];
						const h = hash(id, seed) >>> 0;
						if (passes > 1 && (Math.imul(h, 0x9e3779b1) >>> 16) % passes !== pass) continue;
						const tag = h >>> positionBits;
						let slot = h % capacity;
						for (;;) {
							const held = table[slot];
							if (held === 0) {
								table[slot] = (tag * 2 ** positionBits + position + 1) >>> 0;
								if (++filled > limit) break walk;
								break;
							}
							if (held >>> positionBits === tag && idAt((held & positionMask) - 1) === id) {
								repeats[position >> 3] |= 1 << (position & 7);
								break;
							}
							slot = slot + 1 === capacity ? 0 : slot + 1;
						}
					}
				}
				distinct += filled;
				fits = filled <= limit;
			}
			if (fits) {
				this.repeats = repeats;
				this.distinct = distinct;
				return repeats;
			}
			capacity *= 2;
		}
	}
}
