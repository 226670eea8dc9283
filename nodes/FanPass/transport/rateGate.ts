/**
 * One gate per node run, shared by all its requests: when FanPass answers 429 with a
 * Retry-After, every request of the run holds back until then, so concurrent batches slow down
 * together instead of each hammering FanPass and failing.
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

const gates = new WeakMap<object, RateGate>();

export function rateGateFor(run: object): RateGate {
	let gate = gates.get(run);
	if (!gate) {
		gate = new RateGate();
		gates.set(run, gate);
	}
	return gate;
}
