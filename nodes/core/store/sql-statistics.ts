import { InputError } from '../errors';
import type { LanguageCatalogue } from '../language';
import type { SqlExecutor } from './sql-driver';
import { checkThreshold, DEFAULT_UNDELIVERABLE_AFTER } from './sql-undeliverable';
import type { ConsentSource, Language, Statistics } from './types';

const DAY_MS = 86_400_000;
const SOURCES: ConsentSource[] = ['whatsapp', 'manual', 'import'];
export const MAX_STATISTICS_DAYS = 366;

/**
 * Counts only: how many subscribers, by source and language, and joins/leaves per UTC day. Every
 * language of the catalogue is listed (0 if nobody chose it), and any other code found is counted.
 */
export async function readStatistics(
	db: SqlExecutor,
	input: { days: number; now?: Date; undeliverableAfter?: number },
	languages: LanguageCatalogue,
): Promise<Statistics> {
	if (!Number.isInteger(input.days) || input.days < 1 || input.days > MAX_STATISTICS_DAYS)
		throw new InputError(
			`The number of days must be a whole number from 1 to ${MAX_STATISTICS_DAYS}`,
		);
	const now = (input.now ?? new Date()).getTime();
	const since = Math.floor(now / DAY_MS) * DAY_MS - (input.days - 1) * DAY_MS;
	const groups = await db.all(
		`SELECT consent_source, language, COUNT(*) AS n FROM subscribers GROUP BY consent_source, language`,
	);
	const bySource = Object.fromEntries(SOURCES.map((s) => [s, 0])) as Record<ConsentSource, number>;
	const byLanguage = Object.fromEntries(languages.codes.map((l) => [l, 0])) as Record<
		Language,
		number
	>;
	let subscribers = 0;
	for (const g of groups) {
		const n = Number(g.n);
		subscribers += n;
		bySource[g.consent_source as ConsentSource] += n;
		const language = String(g.language) as Language;
		byLanguage[language] = (byLanguage[language] ?? 0) + n;
	}
	const events = await db.all(
		`SELECT at, event FROM audit_log WHERE at >= $1 AND at <= $2 AND event IN ('joined', 'imported', 'left')`,
		[since, now],
	);
	const days = Array.from({ length: input.days }, (_, i) => ({
		day: new Date(since + i * DAY_MS).toISOString().slice(0, 10),
		joins: 0,
		leaves: 0,
	}));
	for (const e of events) {
		const day = days[Math.floor((Number(e.at) - since) / DAY_MS)];
		if (e.event === 'left') day.leaves += 1;
		else day.joins += 1;
	}
	const [flagged] = await db.all(
		`SELECT COUNT(*) AS n FROM subscribers WHERE undeliverable_streak >= $1`,
		[checkThreshold(input.undeliverableAfter ?? DEFAULT_UNDELIVERABLE_AFTER)],
	);
	return { subscribers, bySource, byLanguage, days, undeliverable: Number(flagged.n) };
}
