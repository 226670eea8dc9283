/** Median and range of a metric over repeated runs (--repeat=N), and how a table cell shows them. */

export interface Spread {
	median: number;
	min: number;
	max: number;
	n: number;
}

export function spread(values: Array<number | undefined>): Spread | undefined {
	const known = values.filter((value): value is number => typeof value === 'number' && Number.isFinite(value)).sort((a, b) => a - b);
	if (known.length === 0) return undefined;
	const middle = Math.floor(known.length / 2);
	const median = known.length % 2 ? known[middle] : (known[middle - 1] + known[middle]) / 2;
	return { median, min: known[0], max: known[known.length - 1], n: known.length };
}

/** "3.22 s" for one run; "3.22 s (2.90-3.51)" for several: the median, then min-max. */
export function cell(values: Array<number | undefined>, format: (value: number) => string): string {
	const s = spread(values);
	if (!s) return '–';
	if (s.n === 1 || s.min === s.max) return format(s.median);
	const unit = /^(×?)([\d.,]+)(.*)$/;
	const [lo, hi] = [format(s.min), format(s.max)].map((text) => unit.exec(text));
	// the range without repeating the unit when both ends share it
	const range = lo && hi && lo[1] === hi[1] && lo[3] === hi[3] ? `${lo[2]}-${hi[2]}` : `${format(s.min)}-${format(s.max)}`;
	return `${format(s.median)} (${range})`;
}
