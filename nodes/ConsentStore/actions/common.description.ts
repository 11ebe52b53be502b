import type { INodeProperties } from 'n8n-workflow';

import { PSEUDONYM_PREFIXES } from '../../core/store/pseudonym';

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
	placeholder: `${PSEUDONYM_PREFIXES.de} (German), ${PSEUDONYM_PREFIXES.sl} (Slovenian), ${PSEUDONYM_PREFIXES.en} (English)`,
	description: `Prefix of the sequential names subscribers are stored under (${PSEUDONYM_PREFIXES.de}0001). Leave empty to follow the Default Language: ${PSEUDONYM_PREFIXES.de} German, ${PSEUDONYM_PREFIXES.sl} Slovenian, ${PSEUDONYM_PREFIXES.en} English.`,
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
		options: [
			{ name: 'English', value: 'en' },
			{ name: 'German', value: 'de' },
			{ name: 'Slovenian', value: 'sl' },
		],
		default: 'de',
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
