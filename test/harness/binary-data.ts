import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { BinaryDataConfig, BinaryDataService, ErrorReporter } from 'n8n-core';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';

import { ensureEnvironment } from './environment';

export type BinaryMode = 'default' | 'filesystem';

export interface BinaryDataSetup {
	service: BinaryDataService;
	/** Where the filesystem manager writes (used in both modes; only 'filesystem' stores there). */
	storagePath: string;
}

/**
 * Builds and initialises a real BinaryDataService for one run and makes it the container's
 * instance, which is what n8n-core's binary helpers (`prepareBinaryData`, `getBinaryDataBuffer`,
 * ...) resolve. 'default' keeps binaries inline as base64; 'filesystem' (served by the
 * 'filesystem-v2' manager) writes them under `storagePath` and leaves only an id in the item.
 */
export async function setUpBinaryData(mode: BinaryMode): Promise<BinaryDataSetup> {
	const { root } = ensureEnvironment();
	const storagePath = mkdtempSync(join(root, `binary-${mode}-`));

	// The config is a container singleton read by the service only during init(), so adjusting
	// it right before constructing a fresh service gives each run its own mode and folder.
	const config = Container.get(BinaryDataConfig);
	config.mode = mode;
	config.localStoragePath = storagePath;

	const service = new BinaryDataService(
		config,
		Container.get(ErrorReporter),
		Container.get(Logger),
	);
	await service.init();
	Container.set(BinaryDataService, service);
	return { service, storagePath };
}
