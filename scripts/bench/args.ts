/** `npm run bench -- <options>`: see scripts/bench/run.ts for what each one does. */
import { N8N_LATEST } from '../n8n-runtime/n8nVersions';

export interface BenchArgs {
	quick: boolean;
	cases?: string[];
	sides?: string[];
	timeoutMs: number;
	skipBuild: boolean;
	keep: boolean;
	repeat: number;
	cpuProf: boolean;
	floor: boolean;
	n8nVersion: string;
	/** earlier results files to print (several: their runs together, e.g. a --repeat run and a run of one slow case) */
	report?: string[];
	/** where to write this run's results, besides .cache/bench/results.json */
	out?: string;
}

/** the latest in scripts/n8n-runtime/n8n-versions.json */
export const DEFAULT_N8N_VERSION = N8N_LATEST;

const FLAGS = ['quick', 'skip-build', 'keep', 'cpu-prof', 'no-floor'];
const VALUES: Record<string, RegExp> = {
	cases: /^[\w,]+$/,
	sides: /^[\w,-]+$/,
	timeout: /^\d+$/,
	repeat: /^[1-9]\d*$/,
	n8n: /^\d+\.\d+\.\d+$/,
	report: /.+/,
	out: /.+/,
};

export function parseArgs(argv: string[]): BenchArgs {
	const values: Record<string, string> = {};
	const bad: string[] = [];
	for (const arg of argv) {
		const match = /^--([\w-]+)(?:=(.*))?$/.exec(arg);
		if (match && match[2] === undefined && FLAGS.includes(match[1])) values[match[1]] = 'true';
		else if (match && match[2] !== undefined && VALUES[match[1]]?.test(match[2])) values[match[1]] = match[2];
		else bad.push(arg);
	}
	if (bad.length) throw new Error(`unknown or malformed argument(s): ${bad.join(' ')} (see scripts/bench/run.ts)`);
	const quick = values.quick === 'true';
	const list = (value: string | undefined) => value?.split(',').filter(Boolean);
	return {
		quick,
		cases: list(values.cases),
		sides: list(values.sides),
		timeoutMs: Number(values.timeout ?? (quick ? 120 : 600)) * 1000,
		skipBuild: values['skip-build'] === 'true',
		keep: values.keep === 'true',
		repeat: Number(values.repeat ?? 1),
		cpuProf: values['cpu-prof'] === 'true',
		floor: values['no-floor'] !== 'true',
		n8nVersion: values.n8n ?? DEFAULT_N8N_VERSION,
		report: list(values.report),
		out: values.out,
	};
}
