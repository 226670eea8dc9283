import { DataDeduplicationService } from 'n8n-core';
import type {
	DeduplicationItemTypes,
	DeduplicationScope,
	ICheckProcessedContextData,
	ICheckProcessedOptions,
	IDataDeduplicator,
	IDeduplicationOutput,
} from 'n8n-workflow';

interface Row {
	mode: ICheckProcessedOptions['mode'];
	data: string | string[];
}

/**
 * What n8n's `processed_data` table holds for the deduplication helpers, one store per simulated
 * n8n instance (a test that runs a workflow night after night passes the same store every run).
 */
export class ProcessedDataStore {
	readonly rows = new Map<string, Row>();
}

const keyOf = (scope: DeduplicationScope, contextData: ICheckProcessedContextData) =>
	`${contextData.workflow.id}|${scope === 'node' ? `n:${contextData.node?.id}` : ''}`;

/**
 * The CLI's DeduplicationHelper (packages/cli/src/deduplication) is not part of n8n-core; this is its
 * behaviour for the modes the node uses, so that ExecuteContext's real helpers have a store to talk
 * to. The e2e suite runs the real one.
 */
class HarnessDeduplicator implements IDataDeduplicator {
	current = new ProcessedDataStore();

	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<IDeduplicationOutput> {
		if (!contextData.workflow.id) throw new Error('workflow has no ID');
		const key = keyOf(scope, contextData);
		const row = this.current.rows.get(key);
		if (row && row.mode !== options.mode) throw new Error('Deduplication data was originally saved with an incompatible setting');
		const values = items.map(String);
		if (options.mode === 'entries') {
			const seen = new Set(Array.isArray(row?.data) ? row.data : []);
			const output: IDeduplicationOutput = { new: [], processed: [] };
			for (const value of values) (seen.has(value) ? output.processed : output.new).push(value);
			for (const value of output.new) seen.add(String(value));
			this.current.rows.set(key, { mode: options.mode, data: [...seen] });
			return output;
		}
		if (options.mode !== 'latestIncrementalKey') throw new Error(`mode ${options.mode} is not simulated`);
		if (values.some((value) => Number.isNaN(Number(value)))) throw new Error('Only numbers are supported in mode "latestIncrementalKey"');
		const largest = values.reduce((a, b) => (Number(b) > Number(a) ? b : a));
		if (!row) {
			this.current.rows.set(key, { mode: options.mode, data: largest });
			return { new: values, processed: [] };
		}
		const stored = Number(row.data);
		const output: IDeduplicationOutput = { new: values.filter((value) => Number(value) > stored), processed: values.filter((value) => Number(value) <= stored) };
		if (Number(largest) > stored) row.data = largest;
		return output;
	}

	async removeProcessed(): Promise<void> {
		throw new Error('removeProcessed is not simulated');
	}

	async clearAllProcessedItems(scope: DeduplicationScope, contextData: ICheckProcessedContextData): Promise<void> {
		this.current.rows.delete(keyOf(scope, contextData));
	}

	async getProcessedDataCount(scope: DeduplicationScope, contextData: ICheckProcessedContextData): Promise<number> {
		const data = this.current.rows.get(keyOf(scope, contextData))?.data;
		return Array.isArray(data) ? data.length : 0;
	}
}

let deduplicator: HarnessDeduplicator | undefined;

/** Points n8n-core's deduplication service (initialised once per process) at this run's store. */
export async function useProcessedData(store: ProcessedDataStore): Promise<void> {
	if (!deduplicator) {
		deduplicator = new HarnessDeduplicator();
		await DataDeduplicationService.init(deduplicator);
	}
	deduplicator.current = store;
}
