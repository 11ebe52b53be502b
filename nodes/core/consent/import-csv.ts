import { InputError } from '../errors';
import { readCsvRecords } from './import-csv-records';
import type { ImportProblem, RawContact } from './import-entry';

const PHONE_HEADERS =
	/^(phone|phone number|phone 1 - value|mobile|mobile phone|cell|tel|telephone|telefon|telefonnummer|handy|handynummer|mobil|mobilnummer|nummer|number|telefonska|telefonska stevilka|stevilka|gsm|wa_id)$/;
const NAME_HEADERS =
	/^(name|pseudonym|display name|full name|first name|given name|vorname|ime|kontakt|contact)$/;
const LANGUAGE_HEADERS = /^(language|sprache|jezik|lang)$/;
const LOOKS_LIKE_PHONE = /^\+?[\d\s()./-]{6,}$/;

/**
 * Reads a CSV of contacts: a header row naming the columns (phone / name / language, in German,
 * Slovenian or English, or Google's `Phone 1 - Value`), or no header and a number in one column.
 * Separator `,`, `;` or tab, detected from the first line; quotes as in RFC 4180 (see
 * import-csv-records.ts).
 */
export function parseCsvContacts(text: string): {
	contacts: RawContact[];
	problems: ImportProblem[];
} {
	const clean = text.replace(/^\uFEFF/, '');
	const firstLine = clean.split(/\r\n|\n|\r/).find((l) => l.trim() !== '');
	if (firstLine === undefined)
		throw new InputError('The CSV is empty: paste or attach the list of contacts');
	const separator = detectSeparator(firstLine);
	const { records, badQuotes } = readCsvRecords(clean, separator);
	const problems: ImportProblem[] = badQuotes.map((line) => ({
		line,
		reason: 'unbalanced quotes',
	}));
	const header = (records[0]?.cells ?? []).map(headerName);
	const columns = {
		phone: header.findIndex((h) => PHONE_HEADERS.test(h)),
		name: header.findIndex((h) => NAME_HEADERS.test(h)),
		language: header.findIndex((h) => LANGUAGE_HEADERS.test(h)),
	};
	const hasHeader = columns.phone >= 0;
	const contacts: RawContact[] = [];
	for (const { line, cells } of hasHeader ? records.slice(1) : records) {
		if (hasHeader) {
			contacts.push({
				line,
				phone: cells[columns.phone],
				name: columns.name >= 0 ? cells[columns.name] : undefined,
				language: columns.language >= 0 ? cells[columns.language] : undefined,
			});
		} else {
			// Without a header: the cell that looks like a number is the number, the other a name.
			const phoneAt = cells.findIndex((c) => LOOKS_LIKE_PHONE.test(c.trim()));
			contacts.push({
				line,
				phone: phoneAt >= 0 ? cells[phoneAt] : undefined,
				name: cells.find(
					(c, i) => i !== phoneAt && c.trim() !== '' && !LOOKS_LIKE_PHONE.test(c.trim()),
				),
			});
		}
	}
	return { contacts, problems };
}

function headerName(cell: string): string {
	return cell
		.normalize('NFKD')
		.replace(/\p{M}+/gu, '')
		.trim()
		.toLowerCase();
}

function detectSeparator(line: string): string {
	const counts = [';', ',', '\t'].map((s) => [s, line.split(s).length] as const);
	counts.sort((a, b) => b[1] - a[1]);
	return counts[0][1] > 1 ? counts[0][0] : ',';
}
