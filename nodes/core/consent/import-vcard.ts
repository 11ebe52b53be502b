import { TextDecoder, TextEncoder } from 'node:util';
import { InputError } from '../errors';
import type { ImportProblem, RawContact } from './import-entry';

/**
 * Reads vCards (2.1, 3.0, 4.0) as a phone exports its contacts: one contact per card, its name
 * from FN (or N), its number from the first TEL marked as mobile (CELL), else the first TEL.
 */
export function parseVcardContacts(text: string): {
	contacts: RawContact[];
	problems: ImportProblem[];
} {
	const lines = unfold(text);
	if (!lines.some((l) => /^BEGIN:VCARD$/i.test(l.text.trim())))
		throw new InputError('No vCard found: the text must contain BEGIN:VCARD … END:VCARD blocks');
	const contacts: RawContact[] = [];
	const problems: ImportProblem[] = [];
	let card:
		| { begin: number; name?: string; tels: Array<{ line: number; value: string; cell: boolean }> }
		| undefined;
	for (const line of lines) {
		const trimmed = line.text.trim();
		if (trimmed === '') continue;
		if (/^BEGIN:VCARD$/i.test(trimmed)) {
			if (card) problems.push({ line: card.begin, reason: 'vCard without END:VCARD' });
			card = { begin: line.number, tels: [] };
			continue;
		}
		if (!card) continue;
		if (/^END:VCARD$/i.test(trimmed)) {
			const tel = card.tels.find((t) => t.cell) ?? card.tels[0];
			if (!tel) problems.push({ line: card.begin, reason: 'contact without a telephone number' });
			else contacts.push({ line: tel.line, phone: tel.value, name: card.name });
			card = undefined;
			continue;
		}
		const property = splitProperty(trimmed);
		if (!property) continue;
		const { name, params, raw } = property;
		const value = unescape(
			isQuotedPrintable(params) ? decodeQuotedPrintable(raw, charsetOf(params)) : raw,
		);
		if (name === 'FN') card.name = value;
		else if (name === 'N' && !card.name)
			card.name = value.split(';').filter(Boolean).reverse().join(' ');
		else if (name === 'TEL')
			card.tels.push({
				line: line.number,
				value: value.replace(/^tel:/i, ''),
				cell: params.some((p) => /cell|mobile/i.test(p)),
			});
	}
	if (card) problems.push({ line: card.begin, reason: 'vCard without END:VCARD' });
	return { contacts, problems };
}

/**
 * Joins a property's physical lines into one: a continuation line starts with a space or tab
 * (vCard 3 and 4, RFC 6350 §3.2; one whitespace character is removed), and in vCard 2.1 a
 * quoted-printable value whose line ends in `=` (a soft line break, RFC 2045 §6.7) goes on in the
 * next line as it stands. Joined lines keep the first line's number.
 */
function unfold(text: string): Array<{ number: number; text: string }> {
	const out: Array<{ number: number; text: string }> = [];
	let softBreak = false;
	text
		.replace(/^\uFEFF/, '')
		.split(/\r\n|\n|\r/)
		.forEach((raw, i) => {
			const last = out[out.length - 1];
			if (last && softBreak) last.text = last.text.trimEnd().slice(0, -1) + raw;
			else if (last && /^[ \t]/.test(raw)) last.text += raw.slice(1);
			else out.push({ number: i + 1, text: raw });
			const current = out[out.length - 1].text;
			softBreak = /=\s*$/.test(current) && isQuotedPrintable(splitProperty(current)?.params ?? []);
		});
	return out;
}

/** `item1.TEL;TYPE=CELL:+49…` → name `TEL`, params `['TYPE=CELL']`, raw value `+49…`. */
function splitProperty(line: string): { name: string; params: string[]; raw: string } | undefined {
	const colon = line.indexOf(':');
	if (colon < 0) return undefined;
	const [property, ...params] = line.slice(0, colon).split(';');
	const name = property
		.trim()
		.replace(/^item\d+\./i, '')
		.toUpperCase();
	return { name, params, raw: line.slice(colon + 1) };
}

/** vCard 2.1 writes `ENCODING=QUOTED-PRINTABLE`, or the bare `QUOTED-PRINTABLE`. */
function isQuotedPrintable(params: string[]): boolean {
	return params.some((p) => /^(ENCODING=)?QUOTED-PRINTABLE$/i.test(p.trim()));
}

function charsetOf(params: string[]): string {
	const param = params.find((p) => /^CHARSET=/i.test(p.trim()));
	return param ? param.trim().slice('CHARSET='.length) : 'UTF-8';
}

/**
 * `=XX` is one byte; the bytes are text in the card's charset (UTF-8 unless it names another, as old
 * phones do with ISO-8859-1). An `=` without two hex digits is kept as written (RFC 2045 §6.7).
 * Hand-written: a quoted-printable library would decode only the `=XX` bytes, a few lines here;
 * finding where a value ends is the vCard part (unfold above).
 */
function decodeQuotedPrintable(value: string, charset: string): string {
	const encoder = new TextEncoder();
	// Split keeps the `=XX` escapes at odd positions, the literal text between them at even ones.
	const bytes = value
		.split(/(=[0-9A-Fa-f]{2})/)
		.flatMap((part, i) => (i % 2 ? [parseInt(part.slice(1), 16)] : [...encoder.encode(part)]));
	return textDecoder(charset).decode(Uint8Array.from(bytes));
}

function textDecoder(charset: string): TextDecoder {
	try {
		return new TextDecoder(charset);
	} catch {
		// An unknown charset label: UTF-8 is what nearly every phone writes.
		return new TextDecoder();
	}
}

function unescape(value: string): string {
	return value.replace(/\\([,;\\nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? ' ' : c));
}
