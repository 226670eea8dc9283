/**
 * Memory of the n8n processes the runtime tools start, read from /proc: every child is detached (its own
 * process group, processes.ts), so a group is an n8n process with what it started (its task runner).
 * Shared by the bench (measure.ts: one `n8n execute`; case 8: main and workers) and `npm run test:queue`.
 */
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';

/** VmHWM (the peak so far) and VmRSS of a process in kB, or 0 when it is gone. */
export function memoryKb(pid: number): { peak: number; rss: number } {
	try {
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		return { peak: Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0), rss: Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0) };
	} catch {
		return { peak: 0, rss: 0 };
	}
}

/** The pids in a process group (detached children lead their own group). */
export function groupMembers(pgid: number): number[] {
	const pids: number[] = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			// fields after the ")" that closes the command name: state ppid pgrp ...
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (Number(fields[2]) === pgid) pids.push(Number(entry));
		} catch {
			/* exited meanwhile */
		}
	}
	return pids;
}

/** Per group, in MB: the sum of its processes' RSS at the fullest sample, and the peaks (VmHWM) of the n8n process and of the others (its task runner). */
export interface GroupPeak {
	totalMb: number;
	n8nMb: number;
	runnerMb: number;
}

/** Samples the groups of the named children every intervalMs until stop(). */
export function sampleMemory(groups: Record<string, ChildProcess>, intervalMs = 250): { stop: () => Record<string, GroupPeak> } {
	const peaks = new Map<string, { total: number; n8n: number; runner: number }>(Object.keys(groups).map((name) => [name, { total: 0, n8n: 0, runner: 0 }]));
	const sample = () => {
		for (const [name, child] of Object.entries(groups)) {
			if (!child.pid) continue;
			const peak = peaks.get(name) as { total: number; n8n: number; runner: number };
			let total = 0;
			for (const pid of groupMembers(child.pid)) {
				const memory = memoryKb(pid);
				total += memory.rss;
				if (pid === child.pid) peak.n8n = Math.max(peak.n8n, memory.peak);
				else peak.runner = Math.max(peak.runner, memory.peak);
			}
			peak.total = Math.max(peak.total, total);
		}
	};
	sample();
	const timer = setInterval(sample, intervalMs);
	const mb = (kb: number) => Math.round(kb / 1024);
	return {
		stop: () => {
			clearInterval(timer);
			sample();
			return Object.fromEntries([...peaks].map(([name, p]) => [name, { totalMb: mb(p.total), n8nMb: mb(p.n8n), runnerMb: mb(p.runner) }]));
		},
	};
}
