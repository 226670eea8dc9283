import { parseCsv } from './csv';
import { MAX_KEY_LENGTH, RESERVED_KEYS } from './userProperties';

const HEADER_LABELS = /^(user[ _-]?id|userid|id|uid|ticketing[ _-]?id|external[ _-]?id|member[ _-]?id)$/i;

export interface CsvPreflight {
	rows: number;
	headerRow: boolean;
	columns: string[];
	emptyIds: number;
	duplicateIds: number;
	uniqueIds: number;
	/** Column names FanPass would not write: the rows carrying them are rejected on import. */
	problemColumns: string[];
}

/** What FanPass will make of a CSV file, worked out locally before it is sent. */
export function preflightCsv(data: Buffer): CsvPreflight {
	const table = parseCsv(data.toString('utf8')).filter((row) => row.some((cell) => cell.trim() !== ''));
	const headerRow = table.length > 0 && HEADER_LABELS.test((table[0][0] ?? '').trim());
	const columns = headerRow ? table[0].map((cell) => cell.trim()) : [];
	const body = headerRow ? table.slice(1) : table;
	const seen = new Set<string>();
	let emptyIds = 0;
	let duplicateIds = 0;
	for (const row of body) {
		const id = (row[0] ?? '').trim();
		if (id === '') emptyIds++;
		else if (seen.has(id)) duplicateIds++;
		else seen.add(id);
	}
	const problemColumns = columns.slice(1).flatMap((name) => {
		if (name === '') return ['(a column without a name)'];
		if (name.length > MAX_KEY_LENGTH) return [`${name} (over ${MAX_KEY_LENGTH} characters)`];
		if (RESERVED_KEYS.includes(name.toLowerCase())) return [`${name} (reserved)`];
		return [];
	});
	return { rows: body.length, headerRow, columns, emptyIds, duplicateIds, uniqueIds: seen.size, problemColumns };
}
