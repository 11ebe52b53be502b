import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';

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
	const logger = Container.get(Logger);
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

/** Metadata as text: errors with their message, stack and causes; cycles cut. */
function serialise(value: unknown): string {
	const seen = new WeakSet<object>();
	return JSON.stringify(value, (_, v: unknown) => {
		if (!v || typeof v !== 'object') return v;
		if (seen.has(v)) return '[cycle]';
		seen.add(v);
		return v instanceof Error
			? { ...v, name: v.name, message: v.message, stack: v.stack, cause: v.cause }
			: v;
	});
}
