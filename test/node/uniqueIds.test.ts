import fc from 'fast-check';

import { UniqueIds } from '../../nodes/FanPass/helpers/uniqueIds';
import { normaliseUserIds } from '../../nodes/FanPass/helpers/userIds';

/** The reference model: a Set in insertion order. */
function model(batches: string[][]) {
	const set = new Set<string>();
	let received = 0;
	for (const ids of batches) {
		received += ids.length;
		for (const id of ids) set.add(id);
	}
	return { ids: [...set], duplicates: received - set.size };
}

describe('UniqueIds: the distinct IDs of a segment, in the order first seen', () => {
	// few distinct values make many repeats; long batches are kept as they are, short ones copied
	const id = fc.oneof(fc.constantFrom('1', '01', 'constructor', '__proto__', 'toString', '', 'é', '😀', 'a,b'), fc.string({ maxLength: 6 }));
	const batch = fc.oneof(fc.array(id, { maxLength: 5 }), fc.array(id, { minLength: 256, maxLength: 600 }));

	it('equals a Set of the same IDs: members, order and number of repeats, however they are added and counted', () => {
		// a small table counts in many passes, and some pass overfills it and is counted again, larger
		const tableSlots = fc.constantFrom(undefined, 16, 100);
		fc.assert(
			fc.property(fc.array(batch, { maxLength: 8 }), fc.integer({ min: 0, max: 8 }), tableSlots, (batches, countAfter, slots) => {
				const unique = new UniqueIds(slots);
				const copies = batches.map((ids) => [...ids]);
				batches.forEach((ids, index) => {
					unique.add(ids);
					// reading in between must not change what later adds give
					if (index === countAfter) expect(unique.size).toBe(model(batches.slice(0, index + 1)).ids.length);
				});
				const expected = model(batches);
				expect([...unique]).toEqual(expected.ids);
				expect([...unique]).toEqual(expected.ids);
				expect(unique.size).toBe(expected.ids.length);
				expect(unique.duplicates).toBe(expected.duplicates);
				expect(batches).toEqual(copies);
				const visited: string[] = [];
				unique.forEach((id) => visited.push(id));
				expect(visited).toEqual(expected.ids);
			}),
			{ numRuns: 300 },
		);
	});

	it('a million IDs, half of them repeats, across pages of 1,000 (counted in passes)', () => {
		const pages = Array.from({ length: 1000 }, (_, page) => Array.from({ length: 1000 }, (_, i) => String(10_000_000 + ((page * 1000 + i) % 500_000))));
		const unique = new UniqueIds();
		for (const ids of pages) unique.add(ids);
		expect(unique.size).toBe(500_000);
		expect(unique.duplicates).toBe(500_000);
		const members = [...unique];
		expect(members[0]).toBe('10000000');
		expect(members[499_999]).toBe('10499999');
		expect(new Set(members).size).toBe(500_000);
		let visited = 0;
		unique.forEach((member) => expect(member).toBe(members[visited++]));
		expect(visited).toBe(500_000);
	});
});

describe('normaliseUserIds keeps a page of clean text IDs as it is', () => {
	it('gives the same array back, not a copy, and copies a page that needed a change', () => {
		const page = ['1', '2', '3'];
		expect(normaliseUserIds(page, false).ids).toBe(page);
		const untrimmed = ['1', ' 2', '3'];
		expect(normaliseUserIds(untrimmed, false)).toEqual({ ids: ['1', '2', '3'], empty: 0 });
		expect(untrimmed).toEqual(['1', ' 2', '3']);
		expect(normaliseUserIds(['1', '', 3], false)).toEqual({ ids: ['1', '3'], empty: 1 });
	});

	it('gives what one entry at a time gives, whatever the page holds and wherever its first unclean entry is', () => {
		const entry = fc.oneof(fc.constantFrom('1', ' 2', '3 ', '', ' ', null, undefined, 7, 0, 'constructor'), fc.string({ maxLength: 4 }));
		fc.assert(
			fc.property(fc.array(entry, { maxLength: 30 }), (page) => {
				const copy = [...page];
				const expected = { ids: [] as string[], empty: 0 };
				for (const value of page) {
					const text = value === null || value === undefined ? '' : String(value).trim();
					if (text === '') expected.empty++;
					else expected.ids.push(text);
				}
				expect(normaliseUserIds(page, false)).toEqual(expected);
				expect(page).toEqual(copy);
			}),
			{ numRuns: 500 },
		);
	});

	it('names the position of a bad entry after a clean start', () => {
		expect(() => normaliseUserIds(['1', '2', true], false)).toThrow('the user ID at [2] is the boolean true');
		expect(() => normaliseUserIds(['1', ['2', {}]], false)).toThrow('the user ID at [1][1] is an object');
	});
});
