import { InputError } from '../errors';
import { ListEntryError } from '../store/list-entry-error';
import type { ConsentStore, Language } from '../store/types';
import { parseCsvContacts } from './import-csv';
import { validateContacts, type ImportProblem } from './import-entry';
import { parseVcardContacts } from './import-vcard';

export type ImportFormat = 'auto' | 'csv' | 'vcard';

export interface ImportOptions {
	format: ImportFormat;
	/** Region for numbers written without country code (`DE`, `SI`, `AT`, …). */
	defaultRegion: string;
	/** Language of contacts whose line names none. */
	language: Language;
	textVersion: string;
	/** `abort`: any bad line and nothing is written; `skip`: import the good lines, report the others. */
	onInvalid: 'abort' | 'skip';
	at?: Date;
}

export interface ImportSummary {
	imported: number;
	alreadySubscribed: number;
	duplicatesInFile: number;
	invalid: ImportProblem[];
	/** Pseudonyms of the newly imported people (no numbers). */
	pseudonyms: string[];
}

const LISTED_PROBLEMS = 20;

/**
 * Validates the whole list first (every number normalised, every name checked), then writes it
 * in one transaction: a list is either imported or not, never half.
 */
export async function importContacts(
	store: ConsentStore,
	text: string,
	options: ImportOptions,
): Promise<ImportSummary> {
	if (typeof text !== 'string' || text.trim() === '')
		throw new InputError('The import is empty: paste the CSV or vCard text or attach the file');
	const format = options.format === 'auto' ? detectFormat(text) : options.format;
	const parsed = format === 'vcard' ? parseVcardContacts(text) : parseCsvContacts(text);
	const { entries, problems, duplicates } = validateContacts(
		parsed.contacts,
		options.defaultRegion,
	);
	const invalid = [...parsed.problems, ...problems].sort((a, b) => a.line - b.line);
	if (invalid.length && options.onInvalid === 'abort')
		throw new InputError(
			`${describeProblems(invalid)}. Nothing was imported: correct these lines, or set "On Invalid Lines" to skip them.`,
		);
	let results;
	try {
		results = await store.subscribeMany(
			entries.map((entry) => ({
				identity: { phone: entry.phone },
				language: entry.language ?? options.language,
				source: 'import' as const,
				textVersion: options.textVersion,
				pseudonym: entry.pseudonym,
				at: options.at,
			})),
		);
	} catch (error) {
		if (error instanceof ListEntryError)
			throw new InputError(
				`Line ${entries[error.index]?.line ?? '?'}: ${error.reason}. Nothing was imported.`,
			);
		throw error;
	}
	const created = results.filter((r) => r.status === 'created');
	return {
		imported: created.length,
		alreadySubscribed: results.length - created.length,
		duplicatesInFile: duplicates,
		invalid,
		pseudonyms: created.map((r) => r.subscriber.pseudonym),
	};
}

export function detectFormat(text: string): 'csv' | 'vcard' {
	return /^\s*BEGIN:VCARD/im.test(text) ? 'vcard' : 'csv';
}

function describeProblems(problems: ImportProblem[]): string {
	const listed = problems
		.slice(0, LISTED_PROBLEMS)
		.map((p) => `line ${p.line}: ${p.reason}`)
		.join('; ');
	const more =
		problems.length > LISTED_PROBLEMS ? `; and ${problems.length - LISTED_PROBLEMS} more` : '';
	const count = problems.length === 1 ? '1 line cannot' : `${problems.length} lines cannot`;
	return `${count} be imported (${listed}${more})`;
}
