/**
 * Bearer-token check. Only whether a header was present and whether it was valid ever leaves
 * this file: the token itself is neither stored nor logged.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export interface AuthOutcome {
	/** An Authorization header was sent. */
	present: boolean;
	/** It was `Bearer <token>` with an accepted token. */
	valid: boolean;
}

function digest(value: string): Buffer {
	return createHash('sha256').update(value, 'utf8').digest();
}

export function checkAuth(header: string | undefined, tokens: readonly string[]): AuthOutcome {
	if (header === undefined) return { present: false, valid: false };
	const match = /^Bearer\s+(\S+)\s*$/i.exec(header.trim());
	if (!match) return { present: true, valid: false };
	const sent = digest(match[1]);
	// Compare every token (constant time per token) so timing does not reveal which matched.
	let valid = false;
	for (const token of tokens) {
		if (timingSafeEqual(sent, digest(token))) valid = true;
	}
	return { present: true, valid };
}
