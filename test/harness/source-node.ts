import type { IBinaryKeyData, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import type { InputBinaryFile, InputItem } from './types';

/**
 * Without a mimeType, and with a file name whose extension mime-types doesn't know, n8n-core
 * sniffs the bytes via `await import('file-type')` (ESM-only). Jest's CommonJS runtime can't
 * serve dynamic imports unless Node runs with --experimental-vm-modules, so say that plainly.
 */
async function prepare(context: IExecuteFunctions, file: InputBinaryFile) {
	try {
		return await context.helpers.prepareBinaryData(file.data, file.fileName, file.mimeType);
	} catch (error) {
		if (!(error as Error).message?.includes('--experimental-vm-modules')) throw error;
		throw new Error(
			`Binary input "${file.fileName}": n8n-core detects its MIME type with the ESM-only ` +
				"'file-type' package, which jest can only load with NODE_OPTIONS=--experimental-vm-modules. " +
				'Pass mimeType, or a file name with a known extension.',
		);
	}
}

export const SOURCE_NODE_TYPE = 'test.source';

/**
 * A test-only node that emits the given items. Binary inputs go through the real
 * `prepareBinaryData`, so they are stored by whichever BinaryDataService mode is active,
 * exactly as if an upstream n8n node (Read File, HTTP Request, ...) had produced them.
 * Items are captured by closure rather than passed as parameters so that neither Buffers nor
 * strings starting with '=' are touched by n8n's parameter/expression handling.
 */
export function createSourceNodeType(items: InputItem[]): INodeType {
	return {
		description: {
			displayName: 'Test Source',
			name: SOURCE_NODE_TYPE,
			group: ['input'],
			version: 1,
			description: 'Emits the items given to the harness',
			defaults: { name: 'Source' },
			inputs: [],
			outputs: ['main'],
			properties: [],
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const output: INodeExecutionData[] = [];
			for (const item of items) {
				const executionItem: INodeExecutionData = { json: structuredClone(item.json) };
				if (item.binary?.length) {
					const binary: IBinaryKeyData = {};
					for (const file of item.binary) {
						binary[file.property] = await prepare(this, file);
						if (file.withoutBytes) delete binary[file.property].bytes;
					}
					executionItem.binary = binary;
				}
				output.push(executionItem);
			}
			return [output];
		},
	};
}
