/**
 * Progress lines for the long steps of the n8n install (minutes of `npm install` on a busy
 * machine, otherwise silent). Plain lines, no carriage returns: they end up in CI logs.
 */
import { readdirSync } from 'node:fs';

export const PROGRESS_INTERVAL_MS = 10_000;

export function formatElapsed(ms: number): string {
	const seconds = Math.floor(ms / 1000);
	const minutes = Math.floor(seconds / 60);
	return minutes > 0 ? `${minutes} min ${seconds % 60} s` : `${seconds} s`;
}

/**
 * Packages in a `node_modules` folder so far (top level and scoped; nested copies not counted).
 * Reading two directory levels is cheap enough to repeat every few seconds during an install.
 */
export function countPackages(nodeModules: string): number {
	let entries: string[];
	try {
		entries = readdirSync(nodeModules);
	} catch {
		return 0;
	}
	let count = 0;
	for (const entry of entries) {
		if (entry.startsWith('.')) continue;
		if (!entry.startsWith('@')) {
			count += 1;
			continue;
		}
		try {
			count += readdirSync(`${nodeModules}/${entry}`).filter((e) => !e.startsWith('.')).length;
		} catch {
			// The scope folder was just created or removed; the next tick counts it.
		}
	}
	return count;
}

/**
 * Logs `<step>: <detail>, <elapsed>` every `intervalMs` until the returned function is called.
 * `detail` is asked afresh each time (e.g. the package count so far); it may return ''.
 */
export function startProgress(
	log: (line: string) => void,
	step: string,
	detail: () => string = () => '',
	intervalMs = PROGRESS_INTERVAL_MS,
): () => void {
	const started = Date.now();
	const timer = setInterval(() => {
		const extra = detail();
		log(`… ${step}: ${extra ? `${extra}, ` : ''}${formatElapsed(Date.now() - started)} elapsed`);
	}, intervalMs);
	// Never the reason the process stays alive.
	timer.unref();
	return () => clearInterval(timer);
}
