import { ConfigError } from '../errors';
import {
	CATALOGUE,
	KEYWORD_ACTIONS,
	normalizeKeyword,
	SHARED_KEYWORDS,
	type KeywordAction,
	type Language,
	type LanguageCatalogue,
} from '../language';

export { KEYWORD_ACTIONS, LANGUAGES, type KeywordAction } from '../language';

export interface KeywordMatch {
	action: KeywordAction;
	/** The normalised keyword that matched, kept as proof of consent (`start`, `odjava`, …). */
	keyword: string;
	/** Language the keyword belongs to; undefined when it is shared (`start`, `stop`, `info`). */
	language?: Language;
}

export interface ExtraKeyword {
	keyword: string;
	action: KeywordAction;
	language?: Language;
}

/** Looks up whole messages (or button payloads) against the built-in and the configured keywords. */
export class KeywordParser {
	private readonly byKeyword = new Map<string, KeywordMatch>();

	/** `languages`: the catalogue whose keywords count (the service's own unless given). */
	constructor(extra: ExtraKeyword[] = [], languages: LanguageCatalogue = CATALOGUE) {
		for (const action of KEYWORD_ACTIONS) {
			for (const keyword of SHARED_KEYWORDS[action])
				this.byKeyword.set(keyword, { action, keyword, language: undefined });
			for (const { code, keywords } of languages.entries)
				for (const keyword of keywords[action])
					this.byKeyword.set(keyword, { action, keyword, language: code as Language });
		}
		// Configured keywords come last so that they may re-assign a built-in one.
		for (const [index, entry] of extra.entries()) {
			const keyword = normalizeKeyword(entry.keyword ?? '');
			if (!keyword)
				throw new ConfigError(
					`Extra keyword ${index + 1} is empty: enter a word or remove the row`,
				);
			if (!KEYWORD_ACTIONS.includes(entry.action))
				throw new ConfigError(
					`Extra keyword "${entry.keyword}" has an unknown action: use ${KEYWORD_ACTIONS.join(', ')}`,
				);
			if (entry.language && !languages.has(entry.language))
				throw new ConfigError(
					`Extra keyword "${entry.keyword}" has an unknown language: use ${languages.codes.join(', ')}`,
				);
			this.byKeyword.set(keyword, { action: entry.action, keyword, language: entry.language });
		}
	}

	/** The keyword a whole message is, or undefined ("Start of the fair?" is no keyword). */
	parse(text: string | undefined | null): KeywordMatch | undefined {
		if (typeof text !== 'string') return undefined;
		const normalised = normalizeKeyword(text);
		return normalised ? this.byKeyword.get(normalised) : undefined;
	}
}
