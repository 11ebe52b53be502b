import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	KEYWORD_ACTIONS,
	KeywordParser,
	processMessage,
	REPLY_KINDS,
	replyTexts,
	type ExtraKeyword,
	type InboundMessage,
	type ProcessResult,
	type ReplyOverride,
	type Route,
} from '../../core/consent';
import type { Language } from '../../core/store';
import { forEachItem } from '../../shared/each-item';
import type { ConsentContext, OperationResult } from './context';

const show = { show: { operation: ['processMessage'] } };
const OUTPUTS: Route[] = ['subscribed', 'unsubscribed', 'info', 'other'];
const LANGUAGE_OPTIONS = [
	{ name: 'English', value: 'en' },
	{ name: 'German', value: 'de' },
	{ name: 'Slovenian', value: 'sl' },
];

export const description: INodeProperties[] = [
	{
		displayName: 'Service Name',
		name: 'serviceName',
		type: 'string',
		default: 'WhatsApp-Info',
		description: 'Name used in the replies ({service}), e.g. "Stadtinfo Musterstadt"',
		displayOptions: show,
	},
	{
		displayName: 'Options',
		name: 'messageOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Extra Keywords',
				name: 'extraKeywords',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				description:
					'Words that count as a keyword besides the built-in ones (case, accents and surrounding punctuation do not matter)',
				options: [
					{
						displayName: 'Keyword',
						name: 'keyword',
						values: [
							{
								displayName: 'Action',
								name: 'action',
								type: 'options',
								options: KEYWORD_ACTIONS.map((a) => ({ name: title(a), value: a })),
								default: 'join',
							},
							{
								displayName: 'Language',
								name: 'language',
								type: 'options',
								options: [{ name: 'Default Language', value: '' }, ...LANGUAGE_OPTIONS],
								default: '',
							},
							{ displayName: 'Word', name: 'keyword', type: 'string', default: '' },
						],
					},
				],
			},
			{
				displayName: 'Reply Texts',
				name: 'replyTexts',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				description:
					'Replace a default reply. Placeholders: {pseudonym}, {since}, {keyword}, {textVersion}, {service}.',
				options: [
					{
						displayName: 'Text',
						name: 'text',
						values: [
							{
								displayName: 'Language',
								name: 'language',
								type: 'options',
								options: LANGUAGE_OPTIONS,
								default: 'de',
							},
							{
								displayName: 'Situation',
								name: 'kind',
								type: 'options',
								options: REPLY_KINDS.map((k) => ({ name: title(k), value: k })),
								default: 'subscribed',
							},
							{
								displayName: 'Text',
								name: 'text',
								type: 'string',
								typeOptions: { rows: 3 },
								default: '',
							},
						],
					},
				],
			},
			{
				displayName: 'Time Zone',
				name: 'timeZone',
				type: 'string',
				default: '',
				description: 'Time zone for dates in replies; empty uses the workflow’s time zone',
			},
		],
	},
];

interface MessageOptions {
	extraKeywords?: { keyword?: Array<{ keyword: string; action: string; language: string }> };
	replyTexts?: { text?: Array<{ language: string; kind: string; text: string }> };
	timeZone?: string;
}

/** Routes each message item to Subscribed, Unsubscribed, Info or Other. */
export async function execute(
	this: IExecuteFunctions,
	context: ConsentContext,
): Promise<OperationResult> {
	const options = this.getNodeParameter('messageOptions', 0, {}) as MessageOptions;
	const extra: ExtraKeyword[] = (options.extraKeywords?.keyword ?? []).map((k) => ({
		keyword: k.keyword,
		action: k.action as ExtraKeyword['action'],
		language: (k.language || undefined) as Language | undefined,
	}));
	const overrides = (options.replyTexts?.text ?? []).map((t) => ({ ...t }) as ReplyOverride);
	const processOptions = {
		parser: new KeywordParser(extra),
		texts: replyTexts(overrides),
		defaultLanguage: this.getNodeParameter('defaultLanguage', 0) as Language,
		textVersion: this.getNodeParameter('consentTextVersion', 0) as string,
		serviceName: this.getNodeParameter('serviceName', 0) as string,
		timeZone: options.timeZone || this.getTimezone(),
	};
	const { store, keys } = await context.open();
	const items = this.getInputData();
	return forEachItem(this, OUTPUTS.length, OUTPUTS.indexOf('other'), async (i) => {
		const result = await processMessage(
			store,
			keys,
			items[i].json as unknown as InboundMessage,
			processOptions,
		);
		return { output: OUTPUTS.indexOf(result.route), json: toJson(result) };
	});
}

/** Only fields free of numbers leave the node: never the wamid (it encodes the number). */
function toJson(result: ProcessResult): IDataObject {
	const json: IDataObject = {
		action: result.action,
		language: result.language,
		replyTo: result.pseudonym && result.route !== 'unsubscribed' ? result.pseudonym : result.sender,
		replyText: result.replyText,
		sender: result.sender,
		messageType: result.messageType,
	};
	if (result.pseudonym) json.pseudonym = result.pseudonym;
	if (result.keyword) json.keyword = result.keyword;
	if (result.route === 'other' && result.text !== undefined) json.text = result.text;
	return json;
}

function title(camel: string): string {
	const spaced = camel.replace(/([A-Z])/g, ' $1');
	return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
