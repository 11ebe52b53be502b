import type { IExecuteFunctions } from 'n8n-workflow';

import { InputError } from '../../core/errors';
import { normalizePhone } from '../../core/phone';
import type { Language } from '../../core/store';
import { pseudonymPrefixFor } from '../../core/store/pseudonym';

/** The Default Region parameter as a country code (`de` and ` DE ` both mean DE). */
export function readRegion(fn: IExecuteFunctions, itemIndex: number): string {
	return String(fn.getNodeParameter('defaultRegion', itemIndex) ?? '')
		.trim()
		.toUpperCase();
}

/** The Phone Number parameter in E.164; numbers without country code take the Default Region. */
export function readPhone(fn: IExecuteFunctions, itemIndex: number): string {
	return normalizePhone(
		fn.getNodeParameter('phone', itemIndex) as string,
		readRegion(fn, itemIndex),
	);
}

/** The Pseudonym parameter, trimmed; an empty one is refused before the store is asked. */
export function readPseudonym(fn: IExecuteFunctions, itemIndex: number): string {
	const pseudonym = (fn.getNodeParameter('pseudonym', itemIndex) as string).trim();
	if (!pseudonym) throw new InputError('The pseudonym is empty: enter it, e.g. Gast_0001');
	return pseudonym;
}

/**
 * The Pseudonym Prefix parameter, or the Default Language's (Gast_, Gost_, Guest_) when empty.
 * Operations that create no pseudonym show neither parameter; they get the German default.
 */
export function readPseudonymPrefix(fn: IExecuteFunctions, itemIndex: number): string {
	return pseudonymPrefixFor(
		fn.getNodeParameter('defaultLanguage', itemIndex, 'de') as Language,
		fn.getNodeParameter('pseudonymPrefix', itemIndex, '') as string,
	);
}
