import { InputError } from '../errors';
import type { PrivacyKeys } from '../privacy/keys';
import { openMessageId, openSender } from '../privacy/sealer';
import { CATALOGUE, type Language, type LanguageCatalogue } from '../language';
import type { ConsentStore, Identity, Subscriber } from '../store/types';
import type { KeywordMatch, KeywordParser } from './keywords';
import { fillReply, type ReplyKind, type ReplyTexts } from './reply-texts';

/** A message item as the WhatsApp Broadcast Trigger emits it (only the fields used here). */
export interface InboundMessage {
	/** Sealed sender token (`sealed1.…`): the number never travels in clear. */
	sender: string;
	messageId?: string;
	/** ISO time of the message; `timestamp` (Unix seconds) is used when it is missing. */
	time?: string;
	timestamp?: string | number;
	/** `text`, `button`, `interactive`, `image`, …; `preference` for a marketing opt-out/-in. */
	type: string;
	text?: string;
	/** Quick-reply button payload or interactive reply ID. */
	payload?: string;
	/** For `type: 'preference'`: Meta's `user_preferences` update. */
	preference?: { category?: string; value?: string };
	category?: string;
	value?: string;
}

export type Route = 'subscribed' | 'unsubscribed' | 'info' | 'other';
export type MessageAction =
	| 'subscribed'
	| 'already_subscribed'
	| 'unsubscribed'
	| 'not_subscribed'
	| 'info'
	| 'help'
	| 'preference_resume'
	| 'other';

export interface ProcessResult {
	route: Route;
	action: MessageAction;
	language: Language;
	/** Normalised keyword or `preference:marketing_messages:stop`; absent for other messages. */
	keyword?: string;
	/** Present while the person is subscribed (not after they left). */
	pseudonym?: string;
	/** The sealed sender token, passed through, so a reply can reach someone without a pseudonym. */
	sender: string;
	/** Ready reply text in the person's language; null when no reply should be sent. */
	replyText: string | null;
	/** The message text, only for messages staff have to read (route `other`). */
	text?: string;
	messageType: string;
}

export interface ProcessOptions {
	parser: KeywordParser;
	texts: ReplyTexts;
	defaultLanguage: Language;
	/** Version of the information text the person saw; stored as proof of consent. */
	textVersion: string;
	/** Name of the service for the reply texts (`{service}`). */
	serviceName: string;
	/** Time zone for dates in replies (IANA name). */
	timeZone?: string;
	/** The languages (date formats in replies); the service's catalogue unless given. */
	languages?: LanguageCatalogue;
}
const MARKETING = 'marketing_messages';

/** Decides what an inbound message means, applies it to the store and prepares the reply. */
export async function processMessage(
	store: ConsentStore,
	keys: PrivacyKeys,
	message: InboundMessage,
	options: ProcessOptions,
): Promise<ProcessResult> {
	if (!message || typeof message.sender !== 'string' || message.sender === '')
		throw new InputError(
			'The item has no `sender`: connect the Messages output of the WhatsApp Broadcast Trigger',
		);
	const identity: Identity = openSender(keys, message.sender);
	const at = messageTime(message);
	const type = String(message.type ?? 'unknown');
	const base = { sender: message.sender, messageType: type };

	if (type === 'preference') return applyPreference(store, identity, message, at, base, options);

	const match = keywordOf(message, options.parser);
	if (!match) {
		const known = await store.findByIdentity(identity);
		return {
			...base,
			route: 'other',
			action: 'other',
			language: known?.language ?? options.defaultLanguage,
			pseudonym: known?.pseudonym,
			replyText: null,
			text: typeof message.text === 'string' ? message.text : undefined,
		};
	}
	const reply = (kind: ReplyKind, language: Language, subscriber?: Subscriber) =>
		fillReply(options.texts[language][kind], replyValues(options, language, subscriber));
	const { keyword } = match;

	if (match.action === 'join') {
		const language = match.language ?? options.defaultLanguage;
		const result = await store.subscribe({
			identity,
			language,
			source: 'whatsapp',
			keyword,
			messageId: proofMessageId(keys, message.messageId),
			textVersion: options.textVersion,
			at,
		});
		const created = result.status === 'created';
		const lang = created ? language : (match.language ?? result.subscriber.language);
		return {
			...base,
			route: 'subscribed',
			action: created ? 'subscribed' : 'already_subscribed',
			language: lang,
			keyword,
			pseudonym: result.subscriber.pseudonym,
			replyText: reply(created ? 'subscribed' : 'alreadySubscribed', lang, result.subscriber),
		};
	}

	if (match.action === 'leave') {
		const result = await store.unsubscribe(identity, { source: 'whatsapp', keyword, at });
		const deleted = result.status === 'deleted';
		// A shared keyword (`stop`) is answered in the language the person chose when joining.
		const language = match.language ?? (deleted ? result.language : options.defaultLanguage);
		return {
			...base,
			route: 'unsubscribed',
			action: deleted ? 'unsubscribed' : 'not_subscribed',
			language,
			keyword,
			replyText: reply(deleted ? 'unsubscribed' : 'notSubscribed', language),
		};
	}
	const known = await store.findByIdentity(identity);
	const language = match.language ?? known?.language ?? options.defaultLanguage;
	if (match.action === 'info' && known) {
		await store.recordAudit({
			at,
			pseudonym: known.pseudonym,
			event: 'info_requested',
			source: 'whatsapp',
		});
	}
	return {
		...base,
		route: 'info',
		action: match.action === 'info' ? 'info' : 'help',
		language,
		keyword,
		pseudonym: known?.pseudonym,
		replyText:
			match.action === 'help'
				? reply('help', language, known)
				: reply(known ? 'info' : 'infoNotSubscribed', language, known),
	};
}

/** A quick-reply payload speaks first (it is what the button means); then the visible text. */
function keywordOf(message: InboundMessage, parser: KeywordParser): KeywordMatch | undefined {
	return parser.parse(message.payload) ?? parser.parse(message.text);
}

/**
 * Meta's marketing opt-out from the WhatsApp settings is a withdrawal of consent for our
 * announcements (they would fail with 131050 anyway), so it deletes like STOP, without a reply
 * (the person asked for no messages). Opting in again there is not a consent to this service:
 * staff see it and the person can send START.
 */
async function applyPreference(
	store: ConsentStore,
	identity: Identity,
	message: InboundMessage,
	at: Date,
	base: { sender: string; messageType: string },
	options: ProcessOptions,
): Promise<ProcessResult> {
	const category = message.preference?.category ?? message.category;
	const value = String(message.preference?.value ?? message.value ?? '').toLowerCase();
	const known = await store.findByIdentity(identity);
	const language = known?.language ?? options.defaultLanguage;
	if (category === MARKETING && value === 'stop') {
		const keyword = `preference:${MARKETING}:stop`;
		const result = await store.unsubscribe(identity, { source: 'whatsapp', keyword, at });
		return {
			...base,
			route: 'unsubscribed',
			action: result.status === 'deleted' ? 'unsubscribed' : 'not_subscribed',
			language,
			keyword,
			replyText: null,
		};
	}
	return {
		...base,
		route: 'other',
		action: category === MARKETING && value === 'resume' ? 'preference_resume' : 'other',
		language,
		keyword: category ? `preference:${category}:${value}` : undefined,
		pseudonym: known?.pseudonym,
		replyText: null,
	};
}

/** The trigger seals wamids (they carry the number); the proof of consent keeps the real one, encrypted. */
function proofMessageId(keys: PrivacyKeys, messageId: unknown): string | undefined {
	return typeof messageId === 'string' && messageId !== ''
		? openMessageId(keys, messageId)
		: undefined;
}

function messageTime(message: InboundMessage): Date {
	if (typeof message.time === 'string') {
		const parsed = new Date(message.time);
		if (!Number.isNaN(parsed.getTime())) return parsed;
	}
	const seconds = Number(message.timestamp);
	if (message.timestamp !== undefined && Number.isFinite(seconds) && seconds > 0)
		return new Date(seconds * 1000);
	return new Date();
}

function replyValues(
	options: ProcessOptions,
	language: Language,
	subscriber?: Subscriber,
): Record<string, string> {
	const languages = options.languages ?? CATALOGUE;
	const locale = languages.has(language) ? languages.entry(language).locale : undefined;
	return {
		service: options.serviceName,
		textVersion: subscriber?.consentTextVersion ?? options.textVersion,
		...(subscriber
			? {
					pseudonym: subscriber.pseudonym,
					keyword: subscriber.consentKeyword ?? '—',
					since: subscriber.consentAt.toLocaleDateString(locale, {
						timeZone: options.timeZone ?? 'UTC',
						year: 'numeric',
						month: 'long',
						day: 'numeric',
					}),
				}
			: {}),
	};
}
