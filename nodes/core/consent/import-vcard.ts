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
		const colon = trimmed.indexOf(':');
		if (colon < 0) continue;
		const [property, ...params] = trimmed.slice(0, colon).split(';');
		const name = property.replace(/^item\d+\./i, '').toUpperCase();
		const value = unescape(trimmed.slice(colon + 1));
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

/** Continuation lines start with a space or tab (RFC 6350 §3.2); they keep the first line's number. */
function unfold(text: string): Array<{ number: number; text: string }> {
	const out: Array<{ number: number; text: string }> = [];
	text
		.replace(/^\uFEFF/, '')
		.split(/\r?\n/)
		.forEach((raw, i) => {
			if (/^[ \t]/.test(raw) && out.length) out[out.length - 1].text += raw.slice(1);
			else out.push({ number: i + 1, text: raw });
		});
	return out;
}

function unescape(value: string): string {
	return value.replace(/\\([,;\\nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? ' ' : c));
}
