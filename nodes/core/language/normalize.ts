/**
 * Brings a whole message to the form keywords are compared in: lower case, accents and diacritics
 * removed (`Löschen` → `loschen`, `pomoč` → `pomoc`), `ß` → `ss`, inner whitespace collapsed and
 * anything that is not a letter or digit stripped from both ends (punctuation, emoji, quotes).
 * Inner punctuation stays, so "Start of the fair?" keeps its words and matches no keyword.
 */
export function normalizeKeyword(text: string): string {
	return text
		.normalize('NFKD')
		.replace(/\p{M}+/gu, '')
		.toLowerCase()
		.replace(/ß/g, 'ss')
		.replace(/[^\p{L}\p{N}]+$/u, '')
		.replace(/^[^\p{L}\p{N}]+/u, '')
		.replace(/\s+/g, ' ');
}
