import { InputError } from '../errors';
import { CATALOGUE, SHARED_IMPORT_HEADERS, type ImportColumn } from '../language';
import { readCsvRecords } from './import-csv-records';
import type { ImportProblem, RawContact } from './import-entry';

/** Header words of a column, in every language of the catalogue. */
function headerWords(column: ImportColumn): ReadonlySet<string> {
	return new Set([
		...SHARED_IMPORT_HEADERS[column],
		...CATALOGUE.entries.flatMap((entry) => entry.importHeaders[column]),
	]);
}
const HEADERS = {
	phone: headerWords('phone'),
	name: headerWords('name'),
	language: headerWords('language'),
};
const LOOKS_LIKE_PHONE = /^\+?[\d\s()./-]{6,}$/;

/**
 * Reads a CSV of contacts: a header row naming the columns (phone / name / language, in any
 * language of the catalogue, or Google's `Phone 1 - Value`), or no header and a number in one column.
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
		phone: header.findIndex((h) => HEADERS.phone.has(h)),
		name: header.findIndex((h) => HEADERS.name.has(h)),
		language: header.findIndex((h) => HEADERS.language.has(h)),
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
