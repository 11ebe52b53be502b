import { InputError } from '../errors';
import { normalizePhone } from '../phone';
import { LANGUAGES, type Language } from '../language';

/** One contact read from an import file, before its number is normalised. */
export interface RawContact {
	/** 1-based line in the file (for a vCard: the line of its telephone number, or its BEGIN). */
	line: number;
	phone?: string;
	name?: string;
	language?: string;
}

export interface ImportEntry {
	line: number;
	/** E.164 digits: stays inside the core, never in output. */
	phone: string;
	/** Kept from the file only when it is already a pseudonym (`Gast_0001`). */
	pseudonym?: string;
	language?: Language;
}

/** A line that cannot be imported. The reason never repeats the number. */
export interface ImportProblem {
	line: number;
	reason: string;
}

/**
 * Names that are pseudonyms already (`Gast_0001`, `Gost_12`, `Guest_0420`). A real name is never
 * stored (data minimisation): such a contact gets the next pseudonym from the counter.
 */
/** Shortest international number WhatsApp users have (country code included). */
const MIN_DIGITS = 8;

const PSEUDONYM = /^\p{L}[\p{L}\p{N}-]*_\d{1,9}$/u;

export function validateContacts(
	contacts: RawContact[],
	defaultRegion: string,
): { entries: ImportEntry[]; problems: ImportProblem[]; duplicates: number } {
	const entries: ImportEntry[] = [];
	const problems: ImportProblem[] = [];
	const byPhone = new Map<string, number>();
	const byPseudonym = new Map<string, { line: number; phone: string }>();
	let duplicates = 0;
	for (const contact of contacts) {
		const problem = (reason: string) => problems.push({ line: contact.line, reason });
		if (!contact.phone?.trim()) {
			problem('no phone number');
			continue;
		}
		let phone: string;
		try {
			phone = normalizePhone(contact.phone, defaultRegion);
			// Some regions allow very short numbers (DE extensions); no WhatsApp account has one.
			if (phone.length < MIN_DIGITS) throw new InputError('The phone number is too short');
		} catch (error) {
			if (!(error instanceof InputError)) throw error;
			problem(error.message);
			continue;
		}
		const name = contact.name?.trim();
		const pseudonym = name && PSEUDONYM.test(name) ? name : undefined;
		const language = contact.language?.trim().toLowerCase();
		if (language && !LANGUAGES.includes(language as Language)) {
			problem(
				`unknown language "${contact.language}": use ${LANGUAGES.join(', ')} or leave it empty`,
			);
			continue;
		}
		const earlier = byPhone.get(phone);
		if (earlier !== undefined) {
			// The same person twice (often a number with and without country code): import once.
			duplicates += 1;
			continue;
		}
		if (pseudonym) {
			const other = byPseudonym.get(pseudonym);
			if (other && other.phone !== phone) {
				problem(
					`the pseudonym "${pseudonym}" is also used on line ${other.line} for another number`,
				);
				continue;
			}
			byPseudonym.set(pseudonym, { line: contact.line, phone });
		}
		byPhone.set(phone, contact.line);
		entries.push({
			line: contact.line,
			phone,
			pseudonym,
			language: language ? (language as Language) : undefined,
		});
	}
	return { entries, problems, duplicates };
}
