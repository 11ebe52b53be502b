import { type IDataObject, type IExecuteFunctions, updateDisplayOptions } from 'n8n-workflow';

import {
	DEFAULT_REPLY_TEXTS,
	KEYWORD_ACTIONS,
	KeywordParser,
	processMessage,
	REPLY_KINDS,
	replyTexts,
	type ExtraKeyword,
	type InboundMessage,
	type ProcessResult,
	type ReplyKind,
	type ReplyOverride,
	type Route,
} from '../../core/consent';
import { CATALOGUE, type Language } from '../../core/language';
import { forEachItem } from '../../shared/each-item';
import type { ConsentContext, OperationResult } from './context';

const OUTPUTS: Route[] = ['subscribed', 'unsubscribed', 'info', 'other'];
const LANGUAGE_OPTIONS = CATALOGUE.options();
/** When each reply is sent, in the words staff use. */
const REPLY_LABELS: Record<ReplyKind, string> = {
	subscribed: 'Joined (Start)',
	alreadySubscribed: 'Already Subscribed (Start Again)',
	unsubscribed: 'Left (Stop)',
	notSubscribed: 'Stop Without Subscription',
	info: 'Stored Data (Info)',
	infoNotSubscribed: 'Info Without Subscription',
	help: 'Help',
};

export const description = updateDisplayOptions({ show: { operation: ['processMessage'] } }, [
	{
		displayName: 'Service Name',
		name: 'serviceName',
		type: 'string',
		default: 'WhatsApp-Info',
		description: 'Name used in the replies ({service}), e.g. "Stadtinfo Musterstadt"',
	},
	{
		displayName: 'Options',
		name: 'messageOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Extra Keywords',
				name: 'extraKeywords',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Keyword',
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
				placeholder: 'Add Language',
				default: {},
				description:
					'The automatic replies, shown with their default texts: change the ones you want. Placeholders: {pseudonym}, {since}, {keyword}, {textVersion}, {service}.',
				// The defaults live in nodes/core/consent/reply-texts.ts; here they are only shown.
				options: LANGUAGE_OPTIONS.map(({ name, value }) => ({
					displayName: name,
					name: value,
					values: REPLY_KINDS.map((kind) => ({
						displayName: REPLY_LABELS[kind],
						name: kind,
						type: 'string' as const,
						typeOptions: { rows: 3 },
						default: DEFAULT_REPLY_TEXTS[value][kind],
					})),
				})),
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
]);

interface MessageOptions {
	extraKeywords?: { keyword?: Array<{ keyword: string; action: string; language: string }> };
	replyTexts?: Partial<Record<Language, Partial<Record<ReplyKind, string>>>>;
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
	const overrides = replyOverrides(options.replyTexts ?? {});
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

/** The texts staff changed; a field n8n left out, or left at its default, keeps the default. */
function replyOverrides(texts: NonNullable<MessageOptions['replyTexts']>): ReplyOverride[] {
	return LANGUAGE_OPTIONS.flatMap(({ value: language }) =>
		REPLY_KINDS.flatMap((kind) => {
			const text = texts[language]?.[kind];
			return text === undefined || text === DEFAULT_REPLY_TEXTS[language][kind]
				? []
				: [{ language, kind, text }];
		}),
	);
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
	if (result.reason) json.reason = result.reason;
	return json;
}

function title(camel: string): string {
	const spaced = camel.replace(/([A-Z])/g, ' $1');
	return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
