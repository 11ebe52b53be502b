/**
 * Template parameters under Meta's rules (error 132018 otherwise): no newline or tab, at most four
 * consecutive spaces; plus what feeds need: HTML stripped, entities decoded, a length limit that
 * ends in an ellipsis and never cuts a URL in half.
 */

const NAMED_ENTITIES: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	nbsp: ' ',
	ndash: '–',
	mdash: '—',
	hellip: '…',
	laquo: '«',
	raquo: '»',
	bdquo: '„',
	ldquo: '“',
	rdquo: '”',
	lsquo: '‘',
	rsquo: '’',
	sbquo: '‚',
	euro: '€',
	auml: 'ä',
	ouml: 'ö',
	uuml: 'ü',
	Auml: 'Ä',
	Ouml: 'Ö',
	Uuml: 'Ü',
	szlig: 'ß',
	scaron: 'š',
	Scaron: 'Š',
	ccaron: 'č',
	Ccaron: 'Č',
	zcaron: 'ž',
	Zcaron: 'Ž',
	eacute: 'é',
	copy: '©',
	reg: '®',
	deg: '°',
};

const ELLIPSIS = '…';
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"]+/gi;

export function decodeEntities(text: string): string {
	return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
		if (name[0] === '#') {
			const code =
				name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
			return Number.isFinite(code) && code > 0 && code <= 0x10ffff
				? String.fromCodePoint(code)
				: whole;
		}
		return NAMED_ENTITIES[name] ?? whole;
	});
}

export function stripHtml(text: string): string {
	return (
		text
			// Script and style content is never text a reader saw.
			.replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
			.replace(/<!--[\s\S]*?-->/g, ' ')
			// Block-level breaks become spaces so words do not run together.
			.replace(/<\/?(br|p|div|li|ul|ol|h[1-6]|tr|td|th|table|section|article)\b[^>]*>/gi, ' ')
			.replace(/<\/?[a-z][^>]*>/gi, '')
	);
}

/** Cuts to at most `max` characters (code points), ending in an ellipsis, outside any URL. */
export function truncate(text: string, max: number): string {
	const chars = Array.from(text);
	if (chars.length <= max) return text;
	if (max < 1) return '';
	const limit = chars.slice(0, max - 1).join('').length;
	let cutAt = limit;
	for (const match of text.matchAll(URL_PATTERN)) {
		const start = match.index ?? 0;
		if (start < cutAt && start + match[0].length > cutAt) {
			// A cut URL leads nowhere: drop it whole.
			cutAt = start;
			break;
		}
	}
	let head = text.slice(0, cutAt);
	if (cutAt === limit) {
		// End at a word boundary when one is close, not mid-word.
		const space = head.lastIndexOf(' ');
		if (space > 0 && cutAt - space < 20) head = head.slice(0, space);
	}
	return `${head.replace(/[\s,;:–-]+$/u, '')}${ELLIPSIS}`;
}

export interface SanitizeOptions {
	/** Most characters in the result, ellipsis included. */
	maxLength: number;
}

export function sanitizeParameter(value: unknown, options: SanitizeOptions): string {
	const text = value === undefined || value === null ? '' : String(value);
	const clean = decodeEntities(stripHtml(text))
		.replace(/[\r\n\t\v\f\u2028\u2029]+/g, ' ')
		.replace(/ {5,}/g, '    ')
		// Remaining control characters (after line breaks and tabs became spaces) carry no text.
		// eslint-disable-next-line no-control-regex
		.replace(/[\u0000-\u001f\u007f]/g, '')
		.trim();
	return truncate(clean, options.maxLength);
}
