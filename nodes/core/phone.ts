import { parsePhoneNumberWithError, type CountryCode } from '../vendor/libphonenumber';

import { InputError } from './errors';

const DIGITS_ONLY = /^\d{8,15}$/;

/**
 * Normalises a phone number to E.164 digits without `+` (WhatsApp's `wa_id` form).
 * WhatsApp's own digits-only `from` passes as is; numbers typed by staff or imported are parsed
 * with a default region (`0151…` in DE). Errors never repeat the number.
 */
export function normalizePhone(input: string, defaultRegion?: string): string {
	const trimmed = input.trim();
	if (DIGITS_ONLY.test(trimmed) && !trimmed.startsWith('0')) return trimmed;
	const international = trimmed.replace(/^00/, '+');
	let parsed;
	try {
		parsed = parsePhoneNumberWithError(
			international,
			defaultRegion?.toUpperCase() as CountryCode | undefined,
		);
	} catch (cause) {
		const reason = cause instanceof Error ? cause.message : 'INVALID';
		throw new InputError(describe(reason, defaultRegion));
	}
	if (!parsed.isPossible())
		throw new InputError('The phone number has an impossible length for its country');
	return parsed.number.slice(1);
}

function describe(reason: string, defaultRegion?: string): string {
	switch (reason) {
		case 'INVALID_COUNTRY':
			if (!defaultRegion)
				return 'The phone number has no country code: write it as +49… or set a default region';
			// The region is repeated only when it is two letters: a number typed there is not.
			return /^[A-Za-z]{2}$/.test(defaultRegion)
				? `The phone number has no valid country code and the default region "${defaultRegion}" is unknown`
				: 'The phone number has no valid country code and the default region is not a two-letter country code (DE, AT, SI, …)';
		case 'TOO_SHORT':
		case 'TOO_LONG':
			return `The phone number is ${reason === 'TOO_SHORT' ? 'too short' : 'too long'}`;
		default:
			return 'The phone number could not be read: use digits with an optional leading + or 00';
	}
}
