import type { SqlExecutor } from './sql-driver';

export const DEFAULT_PSEUDONYM_PREFIX = 'Gast_';
const WIDTH = 4;

export function formatPseudonym(prefix: string, n: number): string {
	return prefix + String(n).padStart(WIDTH, '0');
}

function counterName(prefix: string): string {
	return `pseudonym:${prefix}`;
}

/** Takes the next number from the counter row; the row lock (PG) / writer lock (SQLite) makes it atomic. */
export async function nextPseudonym(tx: SqlExecutor, prefix: string): Promise<string> {
	await tx.run(`INSERT INTO counters (name, value) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING`, [
		counterName(prefix),
	]);
	const [row] = await tx.all(
		`UPDATE counters SET value = value + 1 WHERE name = $1 RETURNING value`,
		[counterName(prefix)],
	);
	return formatPseudonym(prefix, Number(row.value));
}

/** An imported `Gast_0042` moves the counter past 42, so new names never collide with imported ones. */
export async function reservePseudonym(tx: SqlExecutor, pseudonym: string): Promise<void> {
	const match = /^(.*?)(\d+)$/.exec(pseudonym);
	if (!match) return;
	const [, prefix, digits] = match;
	await tx.run(
		`INSERT INTO counters (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = CASE WHEN counters.value < $2 THEN $2 ELSE counters.value END`,
		[counterName(prefix), Number(digits)],
	);
}
