import { ConfigError } from '../errors';
import { normalizeKeyword } from './normalize';

/** What a keyword asks for. */
export type KeywordAction = 'join' | 'leave' | 'info' | 'help';
export const KEYWORD_ACTIONS: readonly KeywordAction[] = ['join', 'leave', 'info', 'help'];

/** Every situation that gets an automatic reply. */
export type ReplyKind =
	| 'subscribed'
	| 'alreadySubscribed'
	| 'unsubscribed'
	| 'notSubscribed'
	| 'info'
	| 'infoNotSubscribed'
	| 'help';
export const REPLY_KINDS: readonly ReplyKind[] = [
	'subscribed',
	'alreadySubscribed',
	'unsubscribed',
	'notSubscribed',
	'info',
	'infoNotSubscribed',
	'help',
];

/** Columns an import file may name, in header words. */
export type ImportColumn = 'phone' | 'name' | 'language';

/**
 * Everything the service knows about one language. Every language list of the package (keyword
 * tables, reply texts, the editor's options, pseudonym prefixes, statistics, import headers)
 * derives from these entries: adding a language is one entry in languages.ts.
 */
export interface LanguageEntry {
	/** The code stored with each subscriber (ISO 639-1, `de`). */
	readonly code: string;
	/** Its name in the editor's option lists (English, as n8n's editor is). */
	readonly label: string;
	/** Locale for dates in replies (`de-DE`). */
	readonly locale: string;
	/** Meta's template language code when a template is sent in each subscriber's language. */
	readonly templateLanguage: string;
	/** Pseudonyms start with this unless the service sets a prefix ("guest": `Gast_0001`). */
	readonly pseudonymPrefix: string;
	/**
	 * Whole-message keywords by action, in normalised form (lower case, no accents: see
	 * normalize.ts). Words shared by several languages belong in SHARED_KEYWORDS instead.
	 */
	readonly keywords: Readonly<Record<KeywordAction, readonly string[]>>;
	/** The automatic replies; placeholders {pseudonym}, {since}, {keyword}, {textVersion}, {service}. */
	readonly replies: Readonly<Record<ReplyKind, string>>;
	/** Header words of an import file's columns, lower case without accents. */
	readonly importHeaders: Readonly<Record<ImportColumn, readonly string[]>>;
}

/** The entries, and the lists the package derives from them. */
export interface LanguageCatalogue<Code extends string = string> {
	readonly entries: readonly LanguageEntry[];
	/** Codes in catalogue order; the first is the default language. */
	readonly codes: readonly Code[];
	has(code: unknown): code is Code;
	/** The entry of a code; throws for a code the catalogue does not hold. */
	entry(code: string): LanguageEntry;
	/** Options for the editor's language fields, sorted by label (as n8n's lint asks). */
	options(): Array<{ name: string; value: Code }>;
}

/** Builds a catalogue and checks its entries, so a mistake in a new language shows at once. */
export function languageCatalogue<Code extends string = string>(
	entries: ReadonlyArray<LanguageEntry & { code: Code }>,
): LanguageCatalogue<Code> {
	const byCode = new Map<string, LanguageEntry>();
	for (const entry of entries) {
		if (!/^[a-z]{2,3}$/.test(entry.code))
			throw new ConfigError(`Language code "${entry.code}" is not an ISO 639 code (two letters)`);
		if (byCode.has(entry.code))
			throw new ConfigError(`Language "${entry.code}" is in the catalogue twice`);
		for (const action of KEYWORD_ACTIONS)
			for (const keyword of entry.keywords[action])
				if (normalizeKeyword(keyword) !== keyword)
					throw new ConfigError(
						`Keyword "${keyword}" (${entry.code}) is not in normalised form: write "${normalizeKeyword(keyword)}"`,
					);
		for (const kind of REPLY_KINDS)
			if (!entry.replies[kind]?.trim())
				throw new ConfigError(`Language "${entry.code}" has no reply text for "${kind}"`);
		byCode.set(entry.code, entry);
	}
	const codes = entries.map((entry) => entry.code);
	return {
		entries,
		codes,
		has: (code: unknown): code is Code => typeof code === 'string' && byCode.has(code),
		entry: (code) => {
			const entry = byCode.get(code);
			if (!entry) throw new ConfigError(`Unknown language "${code}": use ${codes.join(', ')}`);
			return entry;
		},
		options: () =>
			entries
				.map((entry) => ({ name: entry.label, value: entry.code }))
				.sort((a, b) => a.name.localeCompare(b.name)),
	};
}
