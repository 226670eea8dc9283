import { createHash } from 'crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { MARK, witness } from './memoryWitness';
import type { OperationParameters } from './parameters';

/**
 * What "Skip Unchanged" remembers: per user ID (or segment tag), a hash of the LATEST value FanPass
 * accepted from this node. One value per key, replaced on every acceptance, so A → B → A sends A
 * again on the third run. n8n's deduplication store (checkProcessedAndRecord) remembers sets of
 * values seen, which would skip that third A, so it does not hold the memory (only a check that the
 * memory is current: memoryWitness.ts).
 *
 * Where: the node's workflow static data (`getWorkflowStaticData('node')`). Read from n8n 1.123.81
 * and 2.40.7 (packages/cli):
 * - WorkflowExecute passes the static data to the `workflowExecuteAfter` hook when it changed,
 *   on success and on error alike; hookFunctionsSave (main) and hookFunctionsSaveWorker (queue
 *   workers) then call WorkflowStaticDataService.saveStaticDataById, but only when the mode is
 *   not 'manual'. So production runs (activated Schedule, Webhook, other triggers) keep it,
 *   manual runs read it and never save it.
 * - Queue mode: trigger and webhook runs call WorkflowRunner.run(data, loadStaticData = true).
 *   1.123.81 has the worker's JobProcessor load the static data from the database (`loadStaticData`
 *   in the job) and save it: it works. 2.40.7 loads it on main, but the execution it enqueues keeps
 *   only a workflow snapshot without static data (toWorkflowSnapshot) and asks the worker to reload
 *   it only for resumed executions: the worker starts from empty static data and saves it, so nothing
 *   is ever skipped there (safe, not useful; the witness says why in the output). A sub-workflow's
 *   execution (Execute Workflow node) is different: the worker loads that workflow from the database,
 *   static data included, and saves it, so the node works there (test/e2e/suites/skipUnchanged.ts).
 *   Data tables are open to n8n's own Data Table nodes only (DataTableProxyService's allow list) and
 *   not in 1.x.
 * - n8n writes the whole static data object back, so two runs of the same workflow that overlap
 *   would overwrite each other's memory; the witness catches most of it, the README says to let
 *   runs finish before the next.
 *
 * Size: JSON `"<user id>":"<11 characters>"`, about the ID's length + 17 bytes per user, stored in
 * the workflow's row. Past MEMORY_LIMIT keys nothing is skipped or remembered (see `admit`).
 */
export const MEMORY_LIMIT = 1_000_000;

/** n8n 1.x saves static data only for workflow IDs of at most 16 characters (2.x: 21); its own IDs have 16. */
const SAVED_ID_LENGTH = 16;

const STORE_KEY = 'fanPassSkipUnchanged';
const FORMAT = 1;

/** 66 bits of sha-256: a wrong skip needs a collision between two values of the same key. */
export function fingerprint(canonical: string): string {
	return createHash('sha256').update(canonical).digest('base64url').slice(0, 11);
}

interface StoredMemory {
	format: number;
	/** Which FanPass (base URL and credential) the entries were accepted by. */
	target: string;
	entries: Record<string, string>;
}

export type MemoryKind = 'users' | 'segments';

export interface MemorySettings {
	enabled: boolean;
	forget: boolean;
	limit?: number;
}

/** Per node, next to the memories of each kind: the generation the witness checks (memoryWitness.ts). */
const GENERATION_KEY = 'generation';

/** What opening a memory found. A memory that is neither on nor forgetting has no context. */
interface OpenedMemory {
	context: IExecuteFunctions | undefined;
	kind: MemoryKind;
	/** A fingerprint of the base URL and credential the memory was written for. */
	target: string;
	entries: Map<string, string>;
	enabled: boolean;
	limit: number;
	generation: number;
	/** n8n saves this workflow's static data, so the witness hears of this run. */
	witnessed: boolean;
	/** The witness said the saved memory is current. */
	trusted: boolean;
	forget: boolean;
	/** A manual run: n8n never saves its static data. */
	manual: boolean;
}

export class SyncMemory {
	private changed = false;
	private sentSomething = false;
	/** Set when the bound is passed: nothing is skipped and nothing is kept. */
	overLimit = false;
	readonly warnings: string[] = [];

	private constructor(private readonly opened: OpenedMemory) {}

	/** Whether Skip Unchanged is on for this run. */
	get enabled(): boolean {
		return this.opened.enabled;
	}

	/**
	 * Opens this node's memory of one kind. A memory written for another base URL or credential
	 * counts as empty, and so does one the witness says is not current; Forget starts from empty and
	 * is saved by this run.
	 */
	static async open(
		context: IExecuteFunctions,
		kind: MemoryKind,
		baseUrl: string,
		settings: MemorySettings,
	): Promise<SyncMemory> {
		const limit = settings.limit ?? MEMORY_LIMIT;
		if (!settings.enabled && !settings.forget) {
			return new SyncMemory({ context: undefined, kind, target: '', entries: new Map(), enabled: false, limit, generation: 0, witnessed: false, trusted: false, forget: false, manual: false });
		}
		const credentialId = context.getNode().credentials?.fanPassApi?.id ?? '';
		const target = fingerprint(JSON.stringify([baseUrl, credentialId]));
		const store = (context.getWorkflowStaticData('node')[STORE_KEY] as IDataObject | undefined) ?? {};
		const stored = store[kind] as StoredMemory | undefined;
		const generation = typeof store[GENERATION_KEY] === 'number' ? (store[GENERATION_KEY] as number) : 0;
		const workflowId = context.getWorkflow().id ?? '';
		const saved = workflowId !== '' && workflowId.length <= SAVED_ID_LENGTH;
		const manual = context.getMode() === 'manual';
		const noun = kind === 'users' ? 'user' : 'segment';
		const warnings: string[] = [];
		let current = true;
		if (!saved) {
			if (settings.enabled) {
				warnings.push(
					`n8n does not save static data for this workflow (its ID "${workflowId}" is empty or longer than ${SAVED_ID_LENGTH} characters, e.g. set by an import), so nothing sent is remembered; save the workflow as a new one to get an ID n8n keeps it for`,
				);
			}
		} else {
			const answer = await witness(context, generation, manual ? MARK.manualStart : MARK.productionStart);
			current = answer === 'new';
			if (answer === 'seen' && !manual) await witness(context, generation, MARK.startedAfterAnother);
			if (answer === 'unavailable') {
				warnings.push(`n8n's deduplication store, which checks that this node's memory is current, could not be used, so every ${noun} is sent`);
			} else if (!current && settings.enabled && !settings.forget) {
				warnings.push(
					store[GENERATION_KEY] === undefined
						? `n8n started this execution without the memory this node saved after its last run (n8n 2.x does this for every execution a queue-mode worker runs), so every ${noun} is sent. To skip unchanged data there, put this node in a sub-workflow called by an Execute Workflow node: n8n loads a sub-workflow's static data on the worker`
						: `What this node remembers may be out of date (a run since it was saved sent data n8n did not save: a manual test run, a run that stopped early, or two runs at once), so every ${noun} is sent and remembered again`,
				);
			}
		}
		const entries = new Map<string, string>();
		if (current && !settings.forget && stored?.format === FORMAT && stored.target === target && stored.entries) {
			for (const [key, value] of Object.entries(stored.entries)) entries.set(key, value);
		}
		const memory = new SyncMemory({ context, kind, target, entries, enabled: settings.enabled, limit, generation, witnessed: saved, trusted: current, forget: settings.forget, manual });
		memory.warnings.push(...warnings);
		memory.changed = stored !== undefined && entries.size === 0;
		return memory;
	}

	get size(): number {
		return this.opened.entries.size;
	}

	/**
	 * Call once with every key of this run before asking `isUnchanged`. If remembering them would
	 * pass the bound, the run sends everything, says so, and the memory is emptied.
	 */
	admit(keys: Iterable<string>): void {
		if (!this.opened.enabled) return;
		let total = this.opened.entries.size;
		for (const key of keys) if (!this.opened.entries.has(key)) total++;
		if (total <= this.opened.limit) return;
		this.overLimit = true;
		this.changed = this.changed || this.opened.entries.size > 0;
		this.opened.entries.clear();
		const noun = this.opened.kind === 'users' ? 'users' : 'segments';
		this.warnings.push(
			`Skip Unchanged is off for this run: remembering ${total} ${noun} would pass the limit of ${this.opened.limit}, so everything was sent and nothing is remembered`,
		);
	}

	/** The remembered value for a key, if the last accepted one had this fingerprint. */
	stored(key: string): string | undefined {
		return this.opened.enabled && !this.overLimit ? this.opened.entries.get(key) : undefined;
	}

	isUnchanged(key: string, value: string): boolean {
		return this.stored(key) === value;
	}

	/**
	 * Call before sending a key: from then on nothing is known about what FanPass holds for it.
	 * A request that fails may still have been applied (an answer lost after FanPass wrote it),
	 * so a failed key must not keep the value remembered from before.
	 */
	sending(key: string): void {
		this.sentSomething = true;
		if (this.opened.entries.delete(key)) this.changed = true;
	}

	/** Records what FanPass accepted; call only after the request succeeded. */
	accept(key: string, value: string): void {
		if (!this.opened.enabled || this.overLimit) return;
		if (this.opened.entries.get(key) === value) return;
		this.opened.entries.set(key, value);
		this.changed = true;
	}

	/**
	 * Writes the memory back into the static data with the next generation, and tells the witness.
	 * The object is replaced rather than edited: n8n only notices (and saves) static data changed
	 * through its observed top-level objects. A manual run's static data is never saved by n8n, so
	 * if it sent anything the witness is told that the saved memory is out of date.
	 */
	async save(): Promise<void> {
		if (!this.opened.context) return;
		if (this.opened.manual) {
			if (this.opened.witnessed && (this.sentSomething || this.opened.forget)) await witness(this.opened.context, this.opened.generation, MARK.manualSent);
			return;
		}
		let generation = this.opened.generation;
		if (this.opened.witnessed) {
			const overlapped = this.opened.trusted && (await witness(this.opened.context, this.opened.generation, MARK.othersSince)) === 'seen';
			// Above every number recorded so far, also when this run started from a memory older than
			// the witness (it then sent everything, so its memory is complete and trusted next run).
			generation = Math.max(this.opened.generation + MARK.saved, Date.now());
			if ((await witness(this.opened.context, generation, 0)) === 'seen' || overlapped) {
				// Another run started or saved while this one ran: neither memory is complete.
				await witness(this.opened.context, generation, MARK.productionStart);
				this.opened.entries.clear();
				if (this.opened.trusted) this.warnings.push('Another run of this node ran at the same time, so this run remembers nothing: the next run sends everything');
			}
		} else if (!this.changed) {
			return;
		}
		const store = this.opened.context.getWorkflowStaticData('node');
		const all = { ...((store[STORE_KEY] as IDataObject | undefined) ?? {}) };
		const memory: StoredMemory = { format: FORMAT, target: this.opened.target, entries: Object.fromEntries(this.opened.entries) };
		all[this.opened.kind] = memory as unknown as IDataObject;
		all[GENERATION_KEY] = generation;
		store[STORE_KEY] = all;
		this.changed = false;
	}
}

/** Opens the memory for an action whose Options hold `skipUnchanged` and `forgetSent`. */
export function openMemory(
	context: IExecuteFunctions,
	params: OperationParameters,
	kind: MemoryKind,
	baseUrl: string,
): Promise<SyncMemory> {
	return SyncMemory.open(context, kind, baseUrl, {
		enabled: params.option('options', 'skipUnchanged', 0) === true,
		forget: params.option('options', 'forgetSent', 0) === true,
	});
}
