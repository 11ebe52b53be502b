import { parsePhoneNumberWithError } from 'libphonenumber-js';

import { digitRuns as runsIn } from '../../nodes/core/digit-runs';

/**
 * Finds a phone number in text in every form we know it can leak in: the digits however they are
 * written (spaced, bracketed, slashed, dashed, with NBSP, national with a trunk 0, international
 * with + or 00), the last eight digits, and base64 of the digits at each byte alignment (Meta's
 * wamids carry the number that way).
 */

/**
 * The digit strings a number is searched for, normalised: in E.164 (`4915112345678`), the national
 * significant number (`15112345678`, also inside `015112345678` and `0049…`), and the last eight
 * digits (a local form).
 */
export function digitForms(digits: string): string[] {
	const forms = new Set<string>([digits, digits.slice(-8)]);
	try {
		const parsed = parsePhoneNumberWithError(`+${digits}`);
		forms.add(parsed.nationalNumber);
	} catch {
		// Not a number libphonenumber knows (a test's made-up digits): the other forms remain.
	}
	return [...forms].filter((form) => form.length >= 6);
}

/** Forms that are searched for as they are: the digits and their base64 in a wamid. */
export function phoneForms(digits: string): string[] {
	const forms = new Set<string>([digits, digits.slice(-8)]);
	for (let pad = 0; pad < 3; pad++) {
		const encoded = Buffer.concat([Buffer.alloc(pad), Buffer.from(digits, 'ascii')]).toString(
			'base64',
		);
		// Drop characters that also depend on neighbouring bytes: 4 chars per 3 bytes.
		const start = Math.ceil((pad * 4) / 3) + (pad ? 1 : 0);
		const usableBytes = Math.floor((pad + digits.length) / 3) * 3;
		const core = encoded.slice(start, (usableBytes / 3) * 4);
		if (core.length >= 8) {
			forms.add(core);
			forms.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
		}
	}
	return [...forms];
}

/**
 * Every run of digits in the text with its separators removed. JSON escapes are read first, so a
 * number split by `\n` or written with `\u00a0` in serialised data is found too.
 */
export function digitRuns(text: string): string[] {
	const unescaped = text
		.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
		.replace(/\\[nrt]/g, ' ');
	return runsIn(unescaped);
}

/** Where `text` reveals one of `phones` (E.164 digits, no `+`); empty when it reveals none. */
export function findPhoneLeaks(text: string, phones: string[]): string[] {
	const runs = digitRuns(text);
	return phones.flatMap((phone) => {
		const literal = phoneForms(phone)
			.filter((form) => text.includes(form))
			.map((form) => `${phone} as "${form}"`);
		const written = digitForms(phone)
			.filter((form) => !literal.some((found) => found.endsWith(`"${form}"`)))
			.filter((form) => runs.some((run) => run.includes(form)))
			.map((form) => `${phone} as the digits ${form} (with separators)`);
		return [...literal, ...written];
	});
}
