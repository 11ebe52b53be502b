import { type IExecuteFunctions, updateDisplayOptions } from 'n8n-workflow';

import { importContacts, type ImportFormat } from '../../core/consent';
import { InputError } from '../../core/errors';
import type { Language } from '../../core/store';
import { eachItemWithStore } from '../../shared/store-context';
import { readRegion } from './parameters';

export const description = updateDisplayOptions({ show: { operation: ['import'] } }, [
	{
		displayName: 'Input Source',
		name: 'inputSource',
		type: 'options',
		options: [
			{
				name: 'Binary File',
				value: 'binary',
				description: 'A CSV or .vcf file attached to the item',
			},
			{ name: 'Text', value: 'text', description: 'The list pasted into the field below' },
		],
		default: 'binary',
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		displayOptions: { show: { inputSource: ['binary'] } },
	},
	{
		displayName: 'Contacts',
		name: 'contacts',
		type: 'string',
		typeOptions: { rows: 8 },
		default: '',
		required: true,
		placeholder: 'phone;name\n0151 23456789;Gast_0001',
		description:
			'CSV with a header (phone, name, language) or vCards as exported from the service phone. Names like Gast_0001 are kept as pseudonyms; other names are not stored.',
		displayOptions: { show: { inputSource: ['text'] } },
	},
	{
		displayName: 'Format',
		name: 'format',
		type: 'options',
		options: [
			{ name: 'Detect', value: 'auto' },
			{ name: 'CSV', value: 'csv' },
			{ name: 'vCard', value: 'vcard' },
		],
		default: 'auto',
	},
	{
		displayName: 'On Invalid Lines',
		name: 'onInvalid',
		type: 'options',
		options: [
			{
				name: 'Import Nothing',
				value: 'abort',
				description: 'Stop with an error listing the lines to correct',
			},
			{
				name: 'Skip and Report Them',
				value: 'skip',
				description: 'Import the valid lines and list the others in the output',
			},
		],
		default: 'abort',
	},
]);

/** Takes over the contact list of the phone the service used before. One item = one list. */
export const execute = eachItemWithStore(async function ({ store }, i) {
	const summary = await importContacts(store, await readList(this, i), {
		format: this.getNodeParameter('format', i) as ImportFormat,
		defaultRegion: readRegion(this, i),
		language: this.getNodeParameter('defaultLanguage', i) as Language,
		textVersion: this.getNodeParameter('consentTextVersion', i) as string,
		onInvalid: this.getNodeParameter('onInvalid', i) as 'abort' | 'skip',
	});
	return {
		imported: summary.imported,
		alreadySubscribed: summary.alreadySubscribed,
		duplicatesInFile: summary.duplicatesInFile,
		invalidLines: summary.invalid.map((p) => ({ line: p.line, reason: p.reason })),
		pseudonyms: summary.pseudonyms,
	};
});

async function readList(fn: IExecuteFunctions, i: number): Promise<string> {
	if (fn.getNodeParameter('inputSource', i) === 'text')
		return fn.getNodeParameter('contacts', i) as string;
	const property = fn.getNodeParameter('binaryPropertyName', i) as string;
	const binary = fn.getInputData()[i].binary?.[property];
	if (!binary)
		throw new InputError(
			`The item has no binary field "${property}": attach the CSV or .vcf file there, or choose Input Source "Text"`,
		);
	return (await fn.helpers.getBinaryDataBuffer(i, property)).toString('utf8');
}
