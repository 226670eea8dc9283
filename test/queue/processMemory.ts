/** Peak resident memory of process groups (an n8n process with its task runner), sampled from ps. */
import { spawnSync, type ChildProcess } from 'node:child_process';

function groupRssKb(pgid: number): number {
	const ps = spawnSync('ps', ['-o', 'rss=', '-g', String(pgid)], { encoding: 'utf8' });
	return ps.stdout.split('\n').reduce((sum, line) => sum + (Number(line.trim()) || 0), 0);
}

/** Samples every intervalMs until stop(); returns the peak MB per name. */
export function sampleMemory(groups: Record<string, ChildProcess>, intervalMs = 250): { stop: () => Record<string, number> } {
	const peaks: Record<string, number> = Object.fromEntries(Object.keys(groups).map((name) => [name, 0]));
	const sample = () => {
		for (const [name, child] of Object.entries(groups)) if (child.pid) peaks[name] = Math.max(peaks[name], groupRssKb(child.pid));
	};
	sample();
	const timer = setInterval(sample, intervalMs);
	return {
		stop: () => {
			clearInterval(timer);
			sample();
			return Object.fromEntries(Object.entries(peaks).map(([name, kb]) => [name, Math.round(kb / 1024)]));
		},
	};
}
