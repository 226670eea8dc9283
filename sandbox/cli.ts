/**
 * `npm run sandbox`: runs the FanPass sandbox until SIGINT/SIGTERM.
 *
 * Environment:
 *   FANPASS_SANDBOX_PORT                port (default 5680; 0 = random)
 *   FANPASS_SANDBOX_TOKENS              accepted tokens, comma separated (default sandbox-token)
 *   FANPASS_SANDBOX_IMPORT_DURATION_MS  file import duration (default 3000)
 *   FANPASS_SANDBOX_FAULTS              JSON array of fault rules installed at start (sandbox/faults.ts)
 */
import { DEFAULT_TOKENS } from './config';
import { validateRules, type FaultRule } from './faults';
import { startSandbox } from './server';

function integerFromEnv(name: string, fallback: number): number {
	const raw = process.env[name];
	if (raw === undefined || raw.trim() === '') return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 0) {
		console.error(`${name} must be a non-negative integer, got "${raw}"`);
		process.exit(2);
	}
	return value;
}

function faultsFromEnv(): FaultRule[] {
	const raw = process.env.FANPASS_SANDBOX_FAULTS;
	if (raw === undefined || raw.trim() === '') return [];
	try {
		return validateRules(JSON.parse(raw));
	} catch (error) {
		console.error(`FANPASS_SANDBOX_FAULTS: ${error instanceof Error ? error.message : String(error)}`);
		process.exit(2);
	}
}

async function main(): Promise<void> {
	const port = integerFromEnv('FANPASS_SANDBOX_PORT', 5680);
	const importDurationMs = integerFromEnv('FANPASS_SANDBOX_IMPORT_DURATION_MS', 3000);
	const fromEnv = (process.env.FANPASS_SANDBOX_TOKENS ?? '')
		.split(',')
		.map((token) => token.trim())
		.filter((token) => token !== '');
	const tokens = fromEnv.length > 0 ? fromEnv : [...DEFAULT_TOKENS];
	const faults = faultsFromEnv();

	const sandbox = await startSandbox({
		port,
		tokens,
		importDurationMs,
		faults,
		log: (line) => console.log(`[fanpass-sandbox] ${line}`),
	});

	const tokenHint =
		fromEnv.length > 0
			? `one of the ${tokens.length} token(s) in FANPASS_SANDBOX_TOKENS`
			: `${DEFAULT_TOKENS[0]}`;
	console.log(
		[
			`FanPass sandbox listening on ${sandbox.url}`,
			'',
			'Configure the n8n "FanPass API" credential with:',
			`  API Host:  ${sandbox.url}`,
			`  API Token: ${tokenHint}`,
			'',
			`Endpoints: POST ${sandbox.url}/api/v1/segments | /api/v1/update_user | /api/v1/segment_import_status`,
			`Control:   GET ${sandbox.url}/__sandbox/state, POST ${sandbox.url}/__sandbox/reset, ${sandbox.url}/__sandbox/faults`,
			`Faults:    ${faults.length === 0 ? 'none' : `${faults.length} rule(s) from FANPASS_SANDBOX_FAULTS: ${JSON.stringify(faults)}`}`,
			'Press Ctrl+C to stop.',
		].join('\n'),
	);

	let stopping = false;
	const stop = (signal: NodeJS.Signals) => {
		if (stopping) return;
		stopping = true;
		console.log(`[fanpass-sandbox] ${signal} received, shutting down`);
		sandbox.close().then(
			() => process.exit(0),
			(error: unknown) => {
				console.error(error);
				process.exit(1);
			},
		);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
	console.error(`[fanpass-sandbox] failed to start: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
});
