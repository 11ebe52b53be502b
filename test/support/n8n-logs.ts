import path from 'node:path';

import type { Logger } from '@n8n/backend-common';
import type { Container } from '@n8n/di';

/**
 * n8n-core ships its own copies of @n8n/di and @n8n/backend-common: its engine logs through the
 * Logger of those copies, so they are loaded from where n8n-core finds them.
 */
function n8nCoreLogger(): Logger {
	const fromCore = { paths: [path.dirname(require.resolve('n8n-core'))] };
	/* eslint-disable @typescript-eslint/no-require-imports */
	const di = require(require.resolve('@n8n/di', fromCore)) as { Container: typeof Container };
	const common = require(require.resolve('@n8n/backend-common', fromCore)) as {
		Logger: typeof Logger;
	};
	/* eslint-enable @typescript-eslint/no-require-imports */
	// n8n's Logger turns the levels below its own into no-ops when it is created: debug lines are
	// only seen when the level is debug from the start (the first Logger of this test file).
	const level = process.env.N8N_LOG_LEVEL;
	process.env.N8N_LOG_LEVEL = 'debug';
	let logger: Logger;
	try {
		logger = di.Container.get(common.Logger);
	} finally {
		// Other test files in this worker keep n8n's default level.
		if (level === undefined) delete process.env.N8N_LOG_LEVEL;
		else process.env.N8N_LOG_LEVEL = level;
	}
	if ((logger as unknown as { level: string }).level !== 'debug')
		throw new Error('n8n logged below debug before the capture started: capture first');
	return logger;
}

export interface LogEntry {
	level: string;
	message: string;
	metadata: unknown;
}

/**
 * Collects everything n8n logs while a test runs its engine: the engine's own lines (through
 * `LoggerProxy`, debug included) and the error reporter's, which logs a failed node's error with
 * its causes. Both go through n8n's one `Logger` instance, whose `log` is replaced until `stop`.
 */
export function captureN8nLogs(): { entries: LogEntry[]; text(): string; stop(): void } {
	// Creating n8n's Logger also points LoggerProxy at it.
	const logger = n8nCoreLogger();
	const entries: LogEntry[] = [];
	Object.defineProperty(logger, 'log', {
		configurable: true,
		value: (level: string, message: string, metadata: unknown) =>
			entries.push({ level, message, metadata }),
	});
	return {
		entries,
		text: () => entries.map((e) => `${e.level} ${e.message} ${serialise(e.metadata)}`).join('\n'),
		stop: () => delete (logger as unknown as { log?: unknown }).log,
	};
}

/**
 * Metadata as text: errors with their message, stack and causes; cycles cut. A node's parameters
 * (logged with a failed node at debug level) are the workflow as staff saved it, not something a
 * node says, and are left out.
 */
function serialise(value: unknown): string {
	const seen = new WeakSet<object>();
	return JSON.stringify(value, (key, v: unknown) => {
		if (!v || typeof v !== 'object') return v;
		if (key === 'node' && 'parameters' in v) return '[node]';
		if (seen.has(v)) return '[cycle]';
		seen.add(v);
		return v instanceof Error
			? { ...v, name: v.name, message: v.message, stack: v.stack, cause: v.cause }
			: v;
	});
}
