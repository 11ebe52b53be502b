import { languageCatalogue, type LanguageCatalogue } from './catalogue';
import { BUILT_IN_LANGUAGES, type Language } from './languages';

export {
	KEYWORD_ACTIONS,
	REPLY_KINDS,
	languageCatalogue,
	type ImportColumn,
	type KeywordAction,
	type LanguageCatalogue,
	type LanguageEntry,
	type ReplyKind,
} from './catalogue';
export {
	BUILT_IN_LANGUAGES,
	SHARED_IMPORT_HEADERS,
	SHARED_KEYWORDS,
	type Language,
} from './languages';
export { normalizeKeyword } from './normalize';

/** The catalogue of the languages the service speaks. */
export const CATALOGUE: LanguageCatalogue<Language> = languageCatalogue(BUILT_IN_LANGUAGES);

/** Every language code, in catalogue order. */
export const LANGUAGES: readonly Language[] = CATALOGUE.codes;

/** The language of a service that sets none, and of anyone whose language is not known. */
export const DEFAULT_LANGUAGE: Language = CATALOGUE.codes[0];
