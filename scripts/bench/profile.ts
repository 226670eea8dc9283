/**
 * Summarises a V8 .cpuprofile (node --cpu-prof) to say where a node's time goes:
 *
 * - the window: from the first sample inside our node's `execute` to the last sample with any frame of our
 *   code, so n8n's start-up and shutdown stay out (the whole profile when `execute` never shows up);
 * - self time per function in that window, each function tagged: ours (nodes/FanPass, credentials), n8n
 *   (n8n, n8n-core, n8n-workflow, @n8n/*), other packages, Node.js, GC, idle/program;
 * - time by our function: each sample is charged to the innermost frame of our code on its stack, so n8n's
 *   helpers called by, e.g., readParameter count as readParameter's.
 *
 *   tsx scripts/bench/profile.ts <file.cpuprofile> [--top=25] [--pattern=<our code's path part>]
 */
import * as fs from 'node:fs';

interface CallFrame {
	functionName: string;
	url: string;
	lineNumber: number;
	columnNumber: number;
}
interface ProfileNode {
	id: number;
	callFrame: CallFrame;
	children?: number[];
}
export interface CpuProfile {
	nodes: ProfileNode[];
	startTime: number;
	endTime: number;
	samples: number[];
	timeDeltas: number[];
}

export type Category = 'ours' | 'n8n' | 'packages' | 'node' | 'gc' | 'idle';

export interface FrameTime {
	name: string;
	where: string;
	category: Category;
	ms: number;
	share: number;
}

export interface ProfileSummary {
	totalMs: number;
	windowMs: number;
	/** whether the window was found from our node's execute (false: the whole profile) */
	windowed: boolean;
	byCategory: Record<Category, number>;
	/** self time by the package of the sampled frame (n8n-core, axios, sqlite3, node:net...), ms */
	byPackage: Array<{ name: string; ms: number; share: number }>;
	topSelf: FrameTime[];
	/** samples charged to the innermost frame of our code on the stack */
	byOurFunction: FrameTime[];
	/** window time with no frame of our code on the stack (n8n's own work around the node, GC...) */
	outsideOursMs: number;
}

/** Our compiled code: nodes/FanPass/... and credentials/... under the package's dist/. */
export const DEFAULT_PATTERN = /n8n-nodes-fanpass\/dist\/(nodes|credentials)\//;

const N8N_PACKAGE = /^(n8n|n8n-core|n8n-workflow|n8n-nodes-base|@n8n\/.+)$/;

/** The package a frame's code belongs to: the folder after the last node_modules/ (two for a scope). */
export function packageOf(frame: CallFrame, ours: RegExp = DEFAULT_PATTERN): string {
	const { url, functionName } = frame;
	if (functionName === '(garbage collector)') return '(garbage collector)';
	if (functionName === '(idle)' || functionName === '(program)' || functionName === '(root)') return '(idle/program)';
	if (ours.test(url)) return 'n8n-nodes-fanpass';
	const at = url.lastIndexOf('node_modules/');
	if (at >= 0) {
		const parts = url.slice(at + 'node_modules/'.length).split('/');
		return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
	}
	if (url.startsWith('node:')) return url.startsWith('node:internal/') ? `node:${url.split('/')[1]}` : url.split('/')[0];
	return url ? 'other' : '(native)';
}

export function categorise(frame: CallFrame, ours: RegExp = DEFAULT_PATTERN): Category {
	if (ours.test(frame.url)) return 'ours';
	const pkg = packageOf(frame, ours);
	if (pkg === '(garbage collector)') return 'gc';
	if (pkg === '(idle/program)') return 'idle';
	if (N8N_PACKAGE.test(pkg)) return 'n8n';
	if (frame.url.includes('node_modules/')) return 'packages';
	return 'node';
}

/** A short place: the path after the last node_modules/ (or dist/ of our package), with the line. */
export function shortWhere(frame: CallFrame): string {
	const url = frame.url.replace(/^file:\/\//, '');
	if (!url) return frame.functionName.startsWith('(') ? '' : '(native)';
	const ours = /n8n-nodes-fanpass\/dist\/(.*)$/.exec(url);
	const tail = ours ? ours[1] : url.includes('node_modules/') ? url.slice(url.lastIndexOf('node_modules/') + 'node_modules/'.length) : url;
	return `${tail}:${frame.lineNumber + 1}`;
}

const frameName = (frame: CallFrame) => frame.functionName || '(anonymous)';

export function summariseProfile(profile: CpuProfile, options: { top?: number; ours?: RegExp } = {}): ProfileSummary {
	const top = options.top ?? 25;
	const ours = options.ours ?? DEFAULT_PATTERN;
	const byId = new Map<number, ProfileNode>();
	const parent = new Map<number, number>();
	for (const node of profile.nodes) byId.set(node.id, node);
	for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
	const isOurs = new Map<number, boolean>();
	for (const node of profile.nodes) isOurs.set(node.id, categorise(node.callFrame, ours) === 'ours');

	/** innermost frame of our code on a node's stack, memoised */
	const innermostOurs = new Map<number, number | null>();
	const oursOnStack = (id: number): number | null => {
		const known = innermostOurs.get(id);
		if (known !== undefined) return known;
		const up = parent.get(id);
		const found = isOurs.get(id) ? id : up === undefined ? null : oursOnStack(up);
		innermostOurs.set(id, found);
		return found;
	};
	const executeOnStack = new Map<number, boolean>();
	const underExecute = (id: number): boolean => {
		const known = executeOnStack.get(id);
		if (known !== undefined) return known;
		const node = byId.get(id) as ProfileNode;
		const up = parent.get(id);
		const found = (isOurs.get(id) === true && node.callFrame.functionName === 'execute') || (up !== undefined && underExecute(up));
		executeOnStack.set(id, found);
		return found;
	};

	// a sample lasts until the next one
	const durations = profile.samples.map((_, i) => (i + 1 < profile.timeDeltas.length ? profile.timeDeltas[i + 1] : 0) / 1000);
	let first = profile.samples.findIndex((id) => underExecute(id));
	let last = -1;
	for (let i = profile.samples.length - 1; i >= 0 && first >= 0; i--) {
		const stack = oursOnStack(profile.samples[i]);
		if (stack !== null && (byId.get(stack) as ProfileNode).callFrame.functionName !== '') {
			last = i;
			break;
		}
	}
	const windowed = first >= 0 && last >= first;
	if (!windowed) {
		first = 0;
		last = profile.samples.length - 1;
	}

	const self = new Map<number, number>();
	const charged = new Map<number, number>();
	const byCategory: Record<Category, number> = { ours: 0, n8n: 0, packages: 0, node: 0, gc: 0, idle: 0 };
	const packages = new Map<string, number>();
	let windowMs = 0;
	let outsideOursMs = 0;
	for (let i = first; i <= last; i++) {
		const id = profile.samples[i];
		const ms = durations[i];
		windowMs += ms;
		self.set(id, (self.get(id) ?? 0) + ms);
		const frame = (byId.get(id) as ProfileNode).callFrame;
		byCategory[categorise(frame, ours)] += ms;
		const pkg = packageOf(frame, ours);
		packages.set(pkg, (packages.get(pkg) ?? 0) + ms);
		const mine = oursOnStack(id);
		if (mine === null) outsideOursMs += ms;
		else charged.set(mine, (charged.get(mine) ?? 0) + ms);
	}

	// the same function can appear at several stack positions: merge by name and place
	const merge = (times: Map<number, number>): FrameTime[] => {
		const merged = new Map<string, FrameTime>();
		for (const [id, ms] of times) {
			const frame = (byId.get(id) as ProfileNode).callFrame;
			const where = shortWhere(frame);
			const key = `${frameName(frame)}@${where}`;
			const entry = merged.get(key) ?? { name: frameName(frame), where, category: categorise(frame, ours), ms: 0, share: 0 };
			entry.ms += ms;
			merged.set(key, entry);
		}
		return [...merged.values()]
			.sort((a, b) => b.ms - a.ms)
			.slice(0, top)
			.map((entry) => ({ ...entry, share: windowMs ? entry.ms / windowMs : 0 }));
	};
	return {
		totalMs: (profile.endTime - profile.startTime) / 1000,
		windowMs,
		windowed,
		byCategory,
		byPackage: [...packages]
			.sort((a, b) => b[1] - a[1])
			.slice(0, 12)
			.map(([name, ms]) => ({ name, ms, share: windowMs ? ms / windowMs : 0 })),
		topSelf: merge(self),
		byOurFunction: merge(charged),
		outsideOursMs,
	};
}

const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
const msText = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

export function formatProfileSummary(summary: ProfileSummary, label: string): string {
	const lines = [
		`CPU profile ${label}: ${summary.windowed ? `window of the FanPass node's execute ${msText(summary.windowMs)}` : `no FanPass execute frame; whole profile ${msText(summary.windowMs)}`} (process ${msText(summary.totalMs)})`,
		`  by category: ${(Object.entries(summary.byCategory) as Array<[Category, number]>)
			.filter(([, ms]) => ms > 0)
			.sort((a, b) => b[1] - a[1])
			.map(([category, ms]) => `${category} ${msText(ms)} (${pct(summary.windowMs ? ms / summary.windowMs : 0)})`)
			.join(', ')}`,
		`  by package: ${summary.byPackage.map((p) => `${p.name} ${pct(p.share)}`).join(', ')}`,
		'  top self time:',
		...summary.topSelf.map((f) => `    ${pct(f.share).padStart(6)} ${msText(f.ms).padStart(8)}  [${f.category}] ${f.name}  ${f.where}`),
		`  time by our function (the innermost nodes/FanPass frame on the stack; n8n helpers it calls included), outside our frames ${msText(summary.outsideOursMs)}:`,
		...summary.byOurFunction.map((f) => `    ${pct(f.share).padStart(6)} ${msText(f.ms).padStart(8)}  ${f.name}  ${f.where}`),
	];
	return lines.join('\n');
}

if (require.main === module) {
	const file = process.argv[2];
	if (!file) throw new Error('usage: tsx scripts/bench/profile.ts <file.cpuprofile> [--top=N] [--pattern=<regexp>]');
	const topArg = process.argv.find((arg) => arg.startsWith('--top='));
	const patternArg = process.argv.find((arg) => arg.startsWith('--pattern='));
	const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
	const summary = summariseProfile(profile, { top: topArg ? Number(topArg.slice(6)) : 25, ours: patternArg ? new RegExp(patternArg.slice(10)) : undefined });
	console.log(formatProfileSummary(summary, file));
}
