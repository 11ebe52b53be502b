import type { INodeProperties } from 'n8n-workflow';

/** Parameters several operations share; `show` lists the operations each appears in. */
export function pseudonymPrefixProperty(operations: string[]): INodeProperties {
	return {
		displayName: 'Pseudonym Prefix',
		name: 'pseudonymPrefix',
		type: 'string',
		default: 'Gast_',
		description:
			'Prefix of the sequential names subscribers are stored under (Gast_0001, Gost_0001, Guest_0001)',
		displayOptions: { show: { operation: operations } },
	};
}

export function textVersionProperty(operations: string[]): INodeProperties {
	return {
		displayName: 'Consent Text Version',
		name: 'consentTextVersion',
		type: 'string',
		default: 'v1',
		description:
			'Version of the information text people agreed to; stored with each consent as proof (Art. 7(1) GDPR). Change it when the text changes.',
		displayOptions: { show: { operation: operations } },
	};
}

export function languageProperty(operations: string[], description: string): INodeProperties {
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
		displayOptions: { show: { operation: operations } },
	};
}

export function regionProperty(
	operations: string[],
	extraShow: Record<string, string[]> = {},
): INodeProperties {
	return {
		displayName: 'Default Region',
		name: 'defaultRegion',
		type: 'string',
		default: 'DE',
		placeholder: 'DE',
		description:
			'Two-letter country code for numbers written without country code (DE, AT, SI, CH, …)',
		displayOptions: { show: { operation: operations, ...extraShow } },
	};
}
