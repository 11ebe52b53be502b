import type { INodeProperties } from 'n8n-workflow';

import { CATALOGUE, DEFAULT_LANGUAGE } from '../../core/language';

const prefixes = CATALOGUE.entries;

/**
 * Parameters several operations share. They carry no display options: the node shows each for
 * its operations with `updateDisplayOptions`.
 */
export const pseudonymPrefixProperty: INodeProperties = {
	displayName: 'Pseudonym Prefix',
	name: 'pseudonymPrefix',
	type: 'string',
	// Empty follows the Default Language; exported workflows that name a prefix keep it.
	default: '',
	placeholder: prefixes.map((l) => `${l.pseudonymPrefix} (${l.label})`).join(', '),
	description: `Prefix of the sequential names subscribers are stored under (${prefixes[0].pseudonymPrefix}0001). Leave empty to follow the Default Language: ${prefixes.map((l) => `${l.pseudonymPrefix} ${l.label}`).join(', ')}.`,
};

export const textVersionProperty: INodeProperties = {
	displayName: 'Consent Text Version',
	name: 'consentTextVersion',
	type: 'string',
	default: 'v1',
	description:
		'Version of the information text people agreed to; stored with each consent as proof (Art. 7(1) GDPR). Change it when the text changes.',
};

export function languageProperty(description: string): INodeProperties {
	return {
		displayName: 'Default Language',
		name: 'defaultLanguage',
		type: 'options',
		options: CATALOGUE.options(),
		default: DEFAULT_LANGUAGE,
		description,
	};
}

export const regionProperty: INodeProperties = {
	displayName: 'Default Region',
	name: 'defaultRegion',
	type: 'string',
	default: 'DE',
	placeholder: 'DE',
	description:
		'Two-letter country code for numbers written without country code (DE, AT, SI, CH, …)',
};

/** Who a subscriber is to staff; never a phone number. */
export const pseudonymProperty: INodeProperties = {
	displayName: 'Pseudonym',
	name: 'pseudonym',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'Gast_0001',
};

/** A number typed by staff; the Default Region reads it when it has no country code. */
export const phoneProperty: INodeProperties = {
	displayName: 'Phone Number',
	name: 'phone',
	type: 'string',
	default: '',
	required: true,
	placeholder: '+49 151 23456789',
};
