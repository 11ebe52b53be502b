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
import { DEFAULT_STAFF_LIMIT } from '../../core/store/sql-staff-limit';
import { forEachItem } from '../../shared/each-item';
import type { ConsentContext, OperationResult } from './context';

const OUTPUTS: Route[] = ['subscribed', 'unsubscribed', 'info', 'other'];
/** The fifth output: the hourly summary of messages held back from staff (counts only). */
const HELD_BACK_OUTPUT = OUTPUTS.length;
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
		displayName: 'Messages to Staff per Person and Hour',
		name: 'staffLimit',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: DEFAULT_STAFF_LIMIT,
		description:
			'At most this many messages of one person an hour leave on Other with their text (for staff); the rest leave on Other without text (reason held_back) and are counted. Once an hour the Held Back output tells how many messages from how many people were held back. 0 means no limit.',
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
		staffLimit: Number(this.getNodeParameter('staffLimit', 0, DEFAULT_STAFF_LIMIT)),
	};
	const { store, keys } = await context.open();
	const items = this.getInputData();
	const outputs = await forEachItem(
		this,
		OUTPUTS.length + 1,
		OUTPUTS.indexOf('other'),
		async (i) => {
			const result = await processMessage(
				store,
				keys,
				items[i].json as unknown as InboundMessage,
				processOptions,
			);
			return { output: OUTPUTS.indexOf(result.route), json: toJson(result) };
		},
	);
	// Checked on every run, claimed by one execution an hour: counts only, never who.
	const summary = processOptions.staffLimit > 0 ? await store.takeHeldBackSummary() : undefined;
	if (summary) {
		outputs[HELD_BACK_OUTPUT].push({
			json: {
				heldBackMessages: summary.messages,
				heldBackPeople: summary.people,
				since: summary.since.toISOString(),
				until: summary.until.toISOString(),
				limitPerPersonAndHour: processOptions.staffLimit,
			},
			pairedItem: { item: 0 },
		});
		this.logger.info(
			`Consent Store: ${summary.messages} message(s) from ${summary.people} person(s) held back from staff`,
			{ node: this.getNode().name, messages: summary.messages, people: summary.people },
		);
	}
	return outputs;
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
