/**
 * Digit runs as people and programs write them: `+49 (151) 234-56 78` is one run of 13 digits.
 * Used to keep phone numbers out of text we pass on (Meta's error messages) and, in the tests, to
 * find them in every notation.
 */

/** Characters people and programs put between the digits of a phone number. */
const SEPARATOR = String.raw`[\s\-\u2010-\u2015\/.()+]`;
/** A run of digits with at most three separators between neighbours. */
const DIGIT_RUN = new RegExp(String.raw`\d(?:${SEPARATOR}{0,3}\d)*`, 'g');

/** Every run of digits in `text`, its separators removed. */
export function digitRuns(text: string): string[] {
	return (text.match(DIGIT_RUN) ?? []).map((run) => run.replace(/\D/g, ''));
}

/** `text` with every run of `minDigits` or more digits, separators included, replaced by `…`. */
export function maskDigitRuns(text: string, minDigits: number): string {
	return text.replace(DIGIT_RUN, (run) => (run.replace(/\D/g, '').length >= minDigits ? '…' : run));
}
