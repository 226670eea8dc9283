/**
 * Sandbox options, their defaults and the limits taken from the FanPass contract.
 */
import { validateRules, type FaultRule } from './faults';
import { parseMidwaySetting, type MidwayRemaining } from './midwayFailures';

/** Maximum size of an uploaded segment file: 10 MB, i.e. 10 * 1024 * 1024 bytes. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** Keys longer than this are ignored (GA4 limit). */
export const MAX_KEY_LENGTH = 24;
/** Values longer than this are truncated. */
export const MAX_VALUE_LENGTH = 36;

export const DEFAULT_TOKENS: readonly string[] = ['sandbox-token'];

/**
 * Non-reserved Platform User Properties (`user_properties.*`). The collection only names
 * `sth` and `ticketing_plans`; the rest are plausible fan-engagement fields.
 */
export const DEFAULT_PLATFORM_PROPERTIES: readonly string[] = [
	'sth',
	'ticketing_plans',
	'favorite_team',
	'season_ticket_holder',
	'single_game_buyer',
	'account_rep',
	'zip_code',
	'preferred_language',
];

/** Reserved system properties: always ignored with a warning (the collection names `user_id`). */
export const DEFAULT_RESERVED_PROPERTIES: readonly string[] = [
	'user_id',
	'uid',
	'created_at',
	'updated_at',
	'first_open_time',
	'last_active_at',
	'app_version',
	'platform',
	'device_id',
	'fcm_token',
];

/**
 * Custom Attributes registered in the Portal (`custom.*`). The collection's own example of a
 * custom attribute is `custom.loyalty_tier`, so `loyalty_tier` is custom here, not platform.
 */
export const DEFAULT_CUSTOM_ATTRIBUTES: readonly string[] = [
	'loyalty_tier',
	'loyalty_points',
	'vip_level',
	'favorite_player',
];

export const DEFAULT_IMPORT_DURATION_MS = 3000;
export const DEFAULT_FIRST_IMPORT_ID = 1001;
export const DEFAULT_MAX_JSON_BODY_BYTES = 10 * 1024 * 1024;

export interface SandboxOptions {
	/** Port to listen on; default 0 (random). The host is always 127.0.0.1. */
	port?: number;
	/** Accepted Bearer tokens; default `['sandbox-token']`. */
	tokens?: string[];
	/** Non-reserved Platform User Property names. */
	platformProperties?: string[];
	/** Reserved system property names (ignored with a warning). */
	reservedProperties?: string[];
	/** Custom Attributes registered in the Portal. */
	customAttributes?: string[];
	/** Time a file import takes from pending to completed; default 3000 ms. */
	importDurationMs?: number;
	/** Optional request log, one line per API request. The token is never logged. */
	log?: (line: string) => void;
	/** Id given to the first file import; default 1001, then incrementing. */
	firstImportId?: number;
	/** Largest accepted JSON body in bytes; default 10 MB (larger: 413). */
	maxJsonBodyBytes?: number;
	/** Clock in epoch ms, for deterministic tests; default `Date.now`. */
	now?: () => number;
	/** Fault rules installed at start (see sandbox/faults.ts). */
	faults?: FaultRule[];
	/** true: every file import fails midway; a number: the next N do; default false. */
	failImportsMidway?: boolean | number;
}

export interface SandboxConfig {
	port: number;
	tokens: readonly string[];
	platformProperties: ReadonlySet<string>;
	reservedProperties: ReadonlySet<string>;
	customAttributes: ReadonlySet<string>;
	importDurationMs: number;
	firstImportId: number;
	maxJsonBodyBytes: number;
	now: () => number;
	log?: (line: string) => void;
	faults: FaultRule[];
	failImportsMidway: MidwayRemaining;
}

function nonNegativeInteger(name: string, value: number | undefined, fallback: number): number {
	if (value === undefined) return fallback;
	if (!Number.isInteger(value) || value < 0) {
		throw new TypeError(`Sandbox option ${name} must be a non-negative integer, got ${value}`);
	}
	return value;
}

export function resolveConfig(options: SandboxOptions = {}): SandboxConfig {
	const tokens = (options.tokens ?? DEFAULT_TOKENS).filter((token) => token.length > 0);
	if (tokens.length === 0) throw new TypeError('Sandbox option tokens must hold at least one token');
	return {
		port: nonNegativeInteger('port', options.port, 0),
		tokens,
		platformProperties: new Set(options.platformProperties ?? DEFAULT_PLATFORM_PROPERTIES),
		reservedProperties: new Set(options.reservedProperties ?? DEFAULT_RESERVED_PROPERTIES),
		customAttributes: new Set(options.customAttributes ?? DEFAULT_CUSTOM_ATTRIBUTES),
		importDurationMs: nonNegativeInteger('importDurationMs', options.importDurationMs, DEFAULT_IMPORT_DURATION_MS),
		firstImportId: nonNegativeInteger('firstImportId', options.firstImportId, DEFAULT_FIRST_IMPORT_ID),
		maxJsonBodyBytes: nonNegativeInteger('maxJsonBodyBytes', options.maxJsonBodyBytes, DEFAULT_MAX_JSON_BODY_BYTES),
		now: options.now ?? Date.now,
		log: options.log,
		faults: validateRules(options.faults ?? []),
		failImportsMidway: parseMidwaySetting(options.failImportsMidway),
	};
}
