/**
 * Rate-limit gates shared by every execution in this n8n process (a worker, or main in regular mode): when
 * FanPass answers 429 with a long Retry-After, every request to the same API Host with the same credential
 * holds back until then, whichever execution or node run sends it, instead of each collecting 429s of its
 * own. Keyed by API Host and credential id, never by the token: the key is safe to keep in memory and two
 * credentials (two FanPass accounts) never hold each other up. A credential without an id (not saved) gets
 * a gate for its node run only.
 */
export class RateGate {
	private openAt = 0;

	/** Milliseconds until requests may go again (0 when open). */
	waitMs(now = Date.now()): number {
		return Math.max(0, this.openAt - now);
	}

	closeFor(ms: number, now = Date.now()): void {
		this.openAt = Math.max(this.openAt, now + ms);
	}
}

/** Gates of API Host + credential id; open ones are dropped once there are more than this many. */
export const MAX_OPEN_GATES = 100;

const shared = new Map<string, RateGate>();
const perRun = new WeakMap<object, RateGate>();

function prune(now: number): void {
	if (shared.size <= MAX_OPEN_GATES) return;
	for (const [key, gate] of shared) if (gate.waitMs(now) === 0) shared.delete(key);
}

/** The gate for requests to baseUrl with the credential credentialId; run is the node run (execute context). */
export function rateGateFor(baseUrl: string, credentialId: string, run: object, now = Date.now()): RateGate {
	if (!credentialId) {
		let gate = perRun.get(run);
		if (!gate) {
			gate = new RateGate();
			perRun.set(run, gate);
		}
		return gate;
	}
	const key = JSON.stringify([baseUrl, credentialId]);
	let gate = shared.get(key);
	if (!gate) {
		prune(now);
		gate = new RateGate();
		shared.set(key, gate);
	}
	return gate;
}

/** How many shared gates exist (for tests of the bound). */
export function sharedGateCount(): number {
	return shared.size;
}
