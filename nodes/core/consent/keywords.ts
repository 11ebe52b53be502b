import { ConfigError } from '../errors';
import type { Language } from '../store/types';
import { normalizeKeyword } from './normalize';

export type KeywordAction = 'join' | 'leave' | 'info' | 'help';
export const KEYWORD_ACTIONS: KeywordAction[] = ['join', 'leave', 'info', 'help'];
export const LANGUAGES: Language[] = ['de', 'sl', 'en'];

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

type Table = Record<KeywordAction, Partial<Record<Language | 'any', string[]>>>;

/**
 * Keywords seen in the field (municipal pages, the Slovenian ODJAVA convention, Twilio's SMS
 * conventions), already in normalised form. Words used in several languages carry none, and the
 * configured default language answers them.
 */
const BUILT_IN: Table = {
	join: {
		any: ['start'],
		de: ['anmelden', 'anmeldung', 'starten'],
		sl: ['prijava', 'prijavi', 'prijavim', 'zacni'],
		en: ['join', 'subscribe', 'unstop'],
	},
	leave: {
		any: ['stop'],
		de: ['stopp', 'abmelden', 'abmeldung', 'loschen', 'loeschen', 'austragen'],
		sl: ['odjava', 'odjavi', 'odjavim', 'izbrisi'],
		en: ['unsubscribe', 'cancel', 'end', 'quit', 'stopall', 'revoke', 'optout', 'opt out'],
	},
	info: {
		any: ['info'],
		de: ['daten', 'meine daten', 'auskunft'],
		sl: ['podatki', 'moji podatki'],
		en: ['data', 'my data'],
	},
	help: {
		de: ['hilfe'],
		sl: ['pomoc'],
		en: ['help'],
	},
};

/** Looks up whole messages (or button payloads) against the built-in and the configured keywords. */
export class KeywordParser {
	private readonly byKeyword = new Map<string, KeywordMatch>();

	constructor(extra: ExtraKeyword[] = []) {
		for (const action of KEYWORD_ACTIONS) {
			for (const [language, words] of Object.entries(BUILT_IN[action])) {
				for (const keyword of words ?? [])
					this.byKeyword.set(keyword, {
						action,
						keyword,
						language: language === 'any' ? undefined : (language as Language),
					});
			}
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
			if (entry.language && !LANGUAGES.includes(entry.language))
				throw new ConfigError(
					`Extra keyword "${entry.keyword}" has an unknown language: use ${LANGUAGES.join(', ')}`,
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
