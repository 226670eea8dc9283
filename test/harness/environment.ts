import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { LoggerProxy } from 'n8n-workflow';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CapturingLogger } from './logger';

interface HarnessEnvironment {
	/** Per-process scratch root; n8n's user folder and binary-data storage live under it. */
	root: string;
	logger: CapturingLogger;
}

let environment: HarnessEnvironment | undefined;

/**
 * One-time, per-process setup that must happen before anything asks the DI container for
 * n8n services: InstanceSettings reads N8N_USER_FOLDER once and writes its `config` file there,
 * so we point it at a temp dir instead of ~/.n8n; and the Logger must be registered before
 * ErrorReporter/BinaryDataService get constructed, because they capture it at construction.
 */
export function ensureEnvironment(): HarnessEnvironment {
	if (environment) return environment;

	const root = mkdtempSync(join(tmpdir(), 'n8n-harness-'));
	const userFolder = join(root, 'user');
	mkdirSync(userFolder);
	process.env.N8N_USER_FOLDER = userFolder;

	const logger = new CapturingLogger();
	// The container key is the concrete backend Logger class; ours only provides the methods
	// n8n-core calls on it (error/warn/info/debug/scoped).
	Container.set(Logger, logger as unknown as Logger);
	LoggerProxy.init(logger);

	environment = { root, logger };
	return environment;
}

/** Removes every temp file the harness created in this process. Safe to call repeatedly. */
export function cleanupHarness(): void {
	if (!environment) return;
	rmSync(environment.root, { recursive: true, force: true });
	environment = undefined;
}

// Under jest, clean up after each test file automatically (afterAll is a jest global and must be
// registered while the file is being collected, i.e. at import time).
const jestAfterAll = (globalThis as { afterAll?: (fn: () => void) => void }).afterAll;
if (typeof jestAfterAll === 'function') jestAfterAll(cleanupHarness);
