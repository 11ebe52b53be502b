import { parsePhoneNumberWithError, type CountryCode } from 'libphonenumber-js';

/** A phone number as staff might type it into a field, and the digits it stands for. */
export interface TypedPhone {
	typed: string;
	/** The Default Region that reads it (numbers without a country code). */
	region: CountryCode;
	/** E.164 digits without `+`: what the leak finder searches for, in every notation. */
	digits: string;
}

const NBSP = '\u00a0';

/** Spaced, bracketed, slashed and dashed, national and international, German and Slovenian. */
export const TYPED_PHONES: TypedPhone[] = (
	[
		['(0151) 2345678', 'DE'],
		['+49 (151) 2345678', 'DE'],
		['0151/2345678', 'DE'],
		['0049 151 2345678', 'DE'],
		['+49-151-2345678', 'DE'],
		['0151 234 56 78', 'DE'],
		[`0151${NBSP}234${NBSP}56${NBSP}78`, 'DE'],
		['+49 151 / 234 567-8', 'DE'],
		['0151.234.5678', 'DE'],
		['040 123 456', 'SI'],
		['+386 40 123 456', 'SI'],
		[`00386${NBSP}(0)40-123-456`, 'SI'],
	] as Array<[string, CountryCode]>
).map(([typed, region]) => ({
	typed,
	region,
	digits: parsePhoneNumberWithError(typed.replace(/^00/, '+'), region).number.slice(1),
}));

/** Every number the list stands for, for `findPhoneLeaks`. */
export const TYPED_DIGITS = [...new Set(TYPED_PHONES.map((p) => p.digits))];
