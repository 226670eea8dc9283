import type { INodeProperties } from 'n8n-workflow';

import * as getImportStatus from './getImportStatus.operation';
import * as uploadFile from './uploadFile.operation';
import * as upsert from './upsert.operation';
import * as waitForImport from './waitForImport.operation';

export { getImportStatus, uploadFile, upsert, waitForImport };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		description: 'What to do with Imported Segments',
		displayOptions: { show: { resource: ['segment'] } },
		options: [
			{
				name: 'Create or Update',
				value: 'upsert',
				action: 'Create or update a segment',
				description: 'Create a new segment, or update the current one if it already exists (upsert)',
			},
			{
				name: 'Get Import Status',
				value: 'getImportStatus',
				action: 'Get the status of an import',
				description: 'Read the progress of a file import once, without waiting',
			},
			{
				name: 'Upload File',
				value: 'uploadFile',
				action: 'Upload a segment file',
				description:
					'Create or replace a segment from a CSV, XLSX, XLS or ZIP file (from a binary property, or built from the input items)',
			},
			{
				name: 'Wait for Import',
				value: 'waitForImport',
				action: 'Wait for an import',
				description: 'Poll a file import until it is completed or failed',
			},
		],
		default: 'upsert',
	},
	...upsert.description,
	...uploadFile.description,
	...waitForImport.description,
	...getImportStatus.description,
];
