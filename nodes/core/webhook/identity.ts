import { parsePhoneNumberWithError } from '../../vendor/libphonenumber';

/** E.164: a country code that does not start with 0, at most 15 digits in all. */
const E164_DIGITS = /^[1-9]\d{0,14}$/;

/**
 * A business-scoped user ID as Meta describes it: the person's two-letter (ISO 3166 alpha-2)
 * country code, a period, and an alphanumeric string (example `US.13491208655302741918`). Meta's
 * page shows only examples; the "at most 128 characters" bound comes from providers' guides
 * (Webex, Sinch), so the pattern is deliberately no stricter than that: upper-case country code,
 * letters and digits only, 1 to 128 of them.
 */
const BSUID = /^[A-Z]{2}\.[A-Za-z0-9]{1,128}$/;

/**
 * WhatsApp's digits-only `from` / `wa_id` / `recipient_id` is plausible when, with `+` in front,
 * it is a valid E.164 number that libphonenumber reads back unchanged (no digits dropped as a
 * national prefix).
 */
export function isPlausibleNumber(digits: string): boolean {
	if (!E164_DIGITS.test(digits)) return false;
	try {
		const parsed = parsePhoneNumberWithError(`+${digits}`);
		return parsed.isValid() && parsed.number === `+${digits}`;
	} catch {
		return false;
	}
}

export function isWellFormedBsuid(id: string): boolean {
	return BSUID.test(id);
}

/**
 * Whether an event's identities may be sealed and passed on: at least one is given, and every
 * one given is plausible. A junk number next to a good user ID is still junk: a delivery that
 * names the person inconsistently is not trusted with either.
 */
export function hasPlausibleIdentity(number?: string, userId?: string): boolean {
	if (number === undefined && userId === undefined) return false;
	return (
		(number === undefined || isPlausibleNumber(number)) &&
		(userId === undefined || isWellFormedBsuid(userId))
	);
}
