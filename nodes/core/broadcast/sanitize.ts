/**
 * Template parameters under Meta's rules (error 132018 otherwise): no newline or tab, at most four
 * consecutive spaces; plus what feeds need: HTML stripped, entities decoded, a length limit that
 * ends in an ellipsis and never cuts a URL in half.
 */

import { decodeHTMLStrict } from '../../vendor/entities';

const ELLIPSIS = '…';
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"]+/gi;

/**
 * Characters that show nothing in a chat bubble: the soft hyphen (`&shy;`, a hyphenation hint for a
 * web page's layout; a chat bubble wraps on its own), the zero-width space, the word joiner and a
 * stray byte-order mark. Hidden, they still count towards the length limit and break searches. Zero-width (non-)joiners stay: emoji sequences (family,
 * rainbow flag) and several scripts need them.
 */
const INVISIBLE = /[\u00ad\u200b\u2060\ufeff]/g;

/**
 * Decodes every HTML5 character reference (`&shy;`, `&Eacute;`, `&bull;`, `&#8211;`, `&#x1F6B0;`)
 * once, so `&amp;amp;` stays `&amp;`; an unknown name (`&unknown;`) is kept as written.
 */
export function decodeEntities(text: string): string {
	return decodeHTMLStrict(text);
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
		.replace(INVISIBLE, '')
		.replace(/[\r\n\t\v\f\u2028\u2029]+/g, ' ')
		// Other spaces (`&nbsp;`, `&thinsp;`) count towards Meta's limit as plain ones do.
		.replace(/\p{Zs}/gu, ' ')
		.replace(/ {5,}/g, '    ')
		// Remaining control characters (after line breaks and tabs became spaces) carry no text.
		// eslint-disable-next-line no-control-regex
		.replace(/[\u0000-\u001f\u007f]/g, '')
		.trim();
	return truncate(clean, options.maxLength);
}
