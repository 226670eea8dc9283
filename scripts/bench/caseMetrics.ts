/**
 * Per case and run, what issue 13 judges: the FanPass node's own time against the HTTP Request + Code
 * baseline and against the floor measured in the same run, per item and per request, the requests in
 * flight at the sandbox, and (for file uploads) the node's transient memory against the file it sent.
 */
import type { FloorResult } from './floor';
import type { SideResult } from './report';
import { isFanPass } from './workflows';

export interface CaseMetrics {
	caseId: string;
	round: number;
	items: number;
	requests: number;
	/** the FanPass node's executionTime */
	nodeMs?: number;
	/** the first baseline's nodes (Code + HTTP Request), when it finished */
	baselineMs?: number;
	vsBaseline?: number;
	floor?: FloorResult;
	vsFloor?: number;
	perItemMs?: number;
	perRequestMs?: number;
	floorPerRequestMs?: number;
	/** n8n's own request function per request, and the node ÷ it (2.x) */
	n8nHelperPerRequestMs?: number;
	vsN8nHelper?: number;
	peakInFlight: number;
	transientMb?: number;
	fileMb?: number;
	transientVsFile?: number;
}

const divide = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || b === 0 ? undefined : a / b);

export function caseMetrics(results: SideResult[]): CaseMetrics[] {
	const out: CaseMetrics[] = [];
	for (const node of results.filter((r) => r.side === 'fanpass')) {
		const baseline = results.find((r) => r.caseId === node.caseId && r.round === node.round && !isFanPass(r.side));
		const nodeMs = node.finished ? node.workMs : undefined;
		const baselineMs = baseline?.finished ? baseline.workMs : undefined;
		const floor = node.floor;
		const sendMs = floor ? Math.min(...floor.sends.map((send) => send.ms)) : undefined;
		out.push({
			caseId: node.caseId,
			round: node.round,
			items: node.items,
			requests: node.requests.total,
			nodeMs,
			baselineMs,
			vsBaseline: divide(nodeMs, baselineMs),
			floor,
			vsFloor: divide(nodeMs, floor?.floorMs),
			perItemMs: divide(nodeMs, node.items),
			perRequestMs: divide(nodeMs, node.requests.total),
			floorPerRequestMs: divide(sendMs, floor?.requests),
			n8nHelperPerRequestMs: divide(floor?.n8nHelper?.ms, floor?.requests),
			vsN8nHelper: divide(nodeMs, floor?.n8nHelper ? floor.n8nHelper.ms + floor.workMs : undefined),
			peakInFlight: node.peakInFlight,
			transientMb: node.transientMb,
			fileMb: node.fileBytes === undefined ? undefined : node.fileBytes / 1024 / 1024,
			transientVsFile: divide(node.transientMb, node.fileBytes === undefined ? undefined : node.fileBytes / 1024 / 1024),
		});
	}
	return out;
}

export interface SpeedTarget {
	caseId: string;
	/** what is compared, as the issue words it */
	name: string;
	limit: number;
	value: (m: CaseMetrics) => number | undefined;
	format: (value: number) => string;
}

const times = (value: number) => `×${value.toFixed(value < 0.1 ? 3 : 2)}`;

/** Issue 13's targets: ratios in one run on 2 cores (never asserted in tests). */
export const SPEED_TARGETS: SpeedTarget[] = [
	{ caseId: '1', name: 'node ÷ baseline ≤ ×0.30', limit: 0.3, value: (m) => m.vsBaseline, format: times },
	{ caseId: '1', name: 'node ÷ floor ≤ ×4', limit: 4, value: (m) => m.vsFloor, format: times },
	{ caseId: '2', name: "node's transient memory ÷ file sent ≤ ×2", limit: 2, value: (m) => m.transientVsFile, format: times },
	{ caseId: '3', name: 'node ÷ baseline ≤ ×0.5', limit: 0.5, value: (m) => m.vsBaseline, format: times },
	{ caseId: '4', name: 'node ÷ baseline ≤ ×0.15', limit: 0.15, value: (m) => m.vsBaseline, format: times },
	{ caseId: '4', name: 'node time per request ≤ 0.8 ms', limit: 0.8, value: (m) => m.perRequestMs, format: (value) => `${value.toFixed(2)} ms` },
];
