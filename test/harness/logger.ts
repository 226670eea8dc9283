import type { Logger as WorkflowLogger, LogMetadata } from 'n8n-workflow';
import { jsonStringify } from 'n8n-workflow';

type Level = keyof WorkflowLogger;

/**
 * Mirrors how n8n's backend Logger flattens metadata before printing: top-level Error values
 * become { name, message, stack, cause } and the rest is JSON. Keeping the same shape means a
 * "secret never appears in logs" assertion sees what a real n8n log line would contain.
 */
function serializeError(error: unknown, seen = new Set<unknown>()): unknown {
	if (!(error instanceof Error)) return String(error);
	let cause: unknown;
	if (error.cause !== undefined && !seen.has(error.cause)) {
		seen.add(error.cause);
		cause = serializeError(error.cause, seen);
	}
	return { name: error.name, message: error.message, stack: error.stack, cause };
}

function formatLine(level: Level, message: string, metadata?: LogMetadata): string {
	if (!metadata || Object.keys(metadata).length === 0) return `${level} | ${message}`;
	const flat = Object.fromEntries(
		Object.entries(metadata).map(([key, value]) => [
			key,
			value instanceof Error ? serializeError(value) : value,
		]),
	);
	return `${level} | ${message} ${jsonStringify(flat, { replaceCircularRefs: true })}`;
}

/**
 * Stands in for both n8n-workflow's LoggerProxy target and @n8n/backend-common's Logger
 * (which is what `this.logger` returns inside a node). Lines go to whichever sink is active.
 */
export class CapturingLogger implements WorkflowLogger {
	private sink: string[] | undefined;

	/** Starts collecting lines into a fresh array and returns it. */
	capture(): string[] {
		const lines: string[] = [];
		this.sink = lines;
		return lines;
	}

	stopCapture(): void {
		this.sink = undefined;
	}

	scoped(): this {
		return this;
	}

	error(message: string, metadata?: LogMetadata): void {
		this.write('error', message, metadata);
	}

	warn(message: string, metadata?: LogMetadata): void {
		this.write('warn', message, metadata);
	}

	info(message: string, metadata?: LogMetadata): void {
		this.write('info', message, metadata);
	}

	debug(message: string, metadata?: LogMetadata): void {
		this.write('debug', message, metadata);
	}

	private write(level: Level, message: string, metadata?: LogMetadata): void {
		this.sink?.push(formatLine(level, message, metadata));
	}
}
