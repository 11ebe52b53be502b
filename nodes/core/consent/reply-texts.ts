import { ConfigError } from '../errors';
import {
	CATALOGUE,
	REPLY_KINDS,
	type Language,
	type LanguageCatalogue,
	type ReplyKind,
} from '../language';

export { REPLY_KINDS, type ReplyKind } from '../language';

/** Reply texts by language and situation (the catalogue's own, or configured ones laid over them). */
export type ReplyTexts = Record<Language, Record<ReplyKind, string>>;

/** The catalogue's replies. Placeholders: {pseudonym}, {since}, {keyword}, {textVersion}, {service}. */
export function defaultReplyTexts(languages: LanguageCatalogue = CATALOGUE): ReplyTexts {
	return Object.fromEntries(
		languages.entries.map((entry) => [entry.code, { ...entry.replies }]),
	) as ReplyTexts;
}

export const DEFAULT_REPLY_TEXTS: ReplyTexts = defaultReplyTexts();

export interface ReplyOverride {
	language: Language;
	kind: ReplyKind;
	text: string;
}

/** The catalogue's texts with the configured ones laid over them. */
export function replyTexts(
	overrides: ReplyOverride[] = [],
	languages: LanguageCatalogue = CATALOGUE,
): ReplyTexts {
	const texts = defaultReplyTexts(languages);
	for (const { language, kind, text } of overrides) {
		if (!languages.has(language))
			throw new ConfigError(
				`A reply text has an unknown language: use ${languages.codes.join(', ')}`,
			);
		if (!REPLY_KINDS.includes(kind))
			throw new ConfigError(`A reply text has an unknown kind: use ${REPLY_KINDS.join(', ')}`);
		if (!text?.trim())
			throw new ConfigError(
				`The reply text for "${kind}" in "${language}" is empty: enter a text, or remove that language's reply texts to use the defaults`,
			);
		texts[language][kind] = text;
	}
	return texts;
}

/** Fills `{name}` placeholders; unknown ones stay visible so a typo shows in the reply. */
export function fillReply(template: string, values: Record<string, string>): string {
	return template.replace(/\{(\w+)\}/g, (all, name: string) => values[name] ?? all);
}
