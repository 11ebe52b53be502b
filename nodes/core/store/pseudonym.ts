import { createHash } from 'node:crypto';

import { CATALOGUE, DEFAULT_LANGUAGE, type Language, type LanguageCatalogue } from '../language';
import type { SqlExecutor } from './sql-driver';

/** "Guest" in the service's language (from the catalogue): subscribers' names unless a prefix is set. */
export const PSEUDONYM_PREFIXES = Object.fromEntries(
	CATALOGUE.entries.map((entry) => [entry.code, entry.pseudonymPrefix]),
) as Record<Language, string>;
export const DEFAULT_PSEUDONYM_PREFIX = PSEUDONYM_PREFIXES[DEFAULT_LANGUAGE];

/** The prefix set for the service, or (empty) the one of its language. */
export function pseudonymPrefixFor(
	language: Language,
	configured?: string,
	languages: LanguageCatalogue = CATALOGUE,
): string {
	const prefix = configured?.trim();
	if (prefix) return prefix;
	return languages.has(language)
		? languages.entry(language).pseudonymPrefix
		: DEFAULT_PSEUDONYM_PREFIX;
}
const WIDTH = 4;
/** Beyond this jump a reservation moves the PG sequence with setval instead of drawing numbers. */
const MAX_DRAWN_GAP = 10_000;

export function formatPseudonym(prefix: string, n: number): string {
	return prefix + String(n).padStart(WIDTH, '0');
}

function counterName(prefix: string): string {
	return `pseudonym:${prefix}`;
}

/**
 * PostgreSQL keeps each prefix's counter in a sequence: `nextval` never hands out a number twice
 * and, unlike a counter row, holds no lock until commit, so concurrent joins from several workers
 * commit in parallel (with a row, every join waited for the previous one's commit). A rolled-back
 * join leaves a gap; numbers are still never reused. SQLite serialises writers anyway and keeps
 * the counter row. The name is derived from the prefix, so any prefix is a safe identifier.
 */
export function sequenceName(prefix: string): string {
	return `pseudonym_seq_${createHash('sha256').update(prefix).digest('hex').slice(0, 16)}`;
}

/**
 * Creates the prefix's sequence if needed (PG only), started after any number the counter row
 * already issued (stores created before sequences existed). Serialised per prefix.
 */
export async function ensureCounter(tx: SqlExecutor, prefix: string): Promise<void> {
	if (tx.dialect !== 'postgres') return;
	const sequence = sequenceName(prefix);
	await tx.all(`SELECT pg_advisory_xact_lock(hashtext($1))`, [sequence]);
	await tx.run(`CREATE SEQUENCE IF NOT EXISTS ${sequence} MINVALUE 1 START WITH 1`);
	const [row] = await tx.all(`SELECT value FROM counters WHERE name = $1`, [counterName(prefix)]);
	if (row) await advanceSequence(tx, sequence, Number(row.value));
}

/**
 * PG: an SQL expression that draws the next pseudonym inside the INSERT itself (one round trip
 * less per join); `prefixParam` is the placeholder holding the prefix. Formats like
 * `formatPseudonym`: at least WIDTH digits, more when the number needs them.
 */
export function nextPseudonymSql(prefixParam: string, prefix: string): string {
	return `(SELECT ${prefixParam}::text || CASE WHEN length(n.v::text) < ${WIDTH} THEN lpad(n.v::text, ${WIDTH}, '0') ELSE n.v::text END FROM (SELECT nextval('${sequenceName(prefix)}') AS v) n)`;
}

/** Takes the next number: a sequence on PG, the counter row under SQLite's writer lock. */
export async function nextPseudonym(tx: SqlExecutor, prefix: string): Promise<string> {
	if (tx.dialect === 'postgres') {
		const [row] = await tx.all(`SELECT nextval('${sequenceName(prefix)}') AS value`);
		return formatPseudonym(prefix, Number(row.value));
	}
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
	if (tx.dialect === 'postgres') {
		await ensureCounter(tx, prefix);
		await advanceSequence(tx, sequenceName(prefix), Number(digits));
		return;
	}
	await tx.run(
		`INSERT INTO counters (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = CASE WHEN counters.value < $2 THEN $2 ELSE counters.value END`,
		[counterName(prefix), Number(digits)],
	);
}

/**
 * Makes sure the sequence never again returns a number ≤ `atLeast`. Drawing the missing numbers
 * with nextval is safe against concurrent joins (a sequence only moves forward); setval is used
 * only for a far jump, where drawing would take long.
 */
async function advanceSequence(tx: SqlExecutor, sequence: string, atLeast: number): Promise<void> {
	const [state] = await tx.all(`SELECT last_value, is_called FROM ${sequence}`);
	const issued = state.is_called ? Number(state.last_value) : Number(state.last_value) - 1;
	const gap = atLeast - issued;
	if (gap <= 0) return;
	if (gap <= MAX_DRAWN_GAP) {
		await tx.all(`SELECT max(nextval('${sequence}')) AS value FROM generate_series(1, $1::int)`, [
			gap,
		]);
	} else {
		await tx.all(`SELECT setval('${sequence}', $1::bigint, true)`, [atLeast]);
	}
}
