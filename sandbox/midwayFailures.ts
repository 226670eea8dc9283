/**
 * Imports that fail midway: while armed, each new file import goes pending -> processing and
 * then fails halfway through its processing phase, with `done` frozen at about half the users.
 */
export const DEFAULT_MIDWAY_REASON = 'import failed midway (fault injected by the FanPass sandbox)';

/** How many of the next imports fail midway: a count, or 'all' until turned off. */
export type MidwayRemaining = number | 'all';

export interface MidwayStatus {
	remaining: MidwayRemaining;
	reason: string;
}

export function parseMidwaySetting(value: boolean | number | undefined): MidwayRemaining {
	if (value === undefined || value === false) return 0;
	if (value === true) return 'all';
	if (!Number.isInteger(value) || value < 0) {
		throw new TypeError(`failImportsMidway must be true, false or a non-negative integer, got ${value}`);
	}
	return value;
}

export class MidwayFailures {
	private remaining: MidwayRemaining = 0;
	private reason = DEFAULT_MIDWAY_REASON;

	/** Arms the next `remaining` imports (0 turns it off). */
	arm(remaining: MidwayRemaining, reason?: string): void {
		if (remaining !== 'all' && (!Number.isInteger(remaining) || remaining < 0)) {
			throw new TypeError(`failImportsMidway count must be a non-negative integer or "all", got ${String(remaining)}`);
		}
		this.remaining = remaining;
		this.reason = reason ?? DEFAULT_MIDWAY_REASON;
	}

	status(): MidwayStatus {
		return { remaining: this.remaining, reason: this.reason };
	}

	/** The failure reason for a new import, or null when it should run normally. */
	take(): string | null {
		if (this.remaining === 0) return null;
		if (this.remaining !== 'all') this.remaining -= 1;
		return this.reason;
	}
}
