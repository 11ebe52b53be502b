import { InputError } from '../errors';
import type { PrivacyKeys } from '../privacy/keys';
import { openMessageId, openSender } from '../privacy/sealer';
import { CATALOGUE, type Language } from '../language';
import type { Identity, Subscriber } from '../store/types';
import type { KeywordMatch, KeywordParser } from './keywords';
import type { InboundMessage, MessageStore, ProcessOptions, ProcessResult } from './message-types';
import { applyPreference, isMarketingStop, notApplied } from './preference';
import { fillReply, type ReplyKind } from './reply-texts';

export type {
	InboundMessage,
	MessageAction,
	MessageStore,
	ProcessOptions,
	ProcessResult,
	Route,
} from './message-types';

/** Decides what an inbound message means, applies it to the store and prepares the reply. */
export async function processMessage(
	store: MessageStore,
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
	// Start and Stop close their inbox row in their own transaction; the rest closes it first, so
	// a message handed out twice is read (and mailed to staff) once.
	const origin = { at, inboxRef: typeof message.inbox === 'string' ? message.inbox : undefined };
	const match = type === 'preference' ? undefined : keywordOf(message, options.parser);
	const changesConsent =
		match?.action === 'join' || match?.action === 'leave' || isMarketingStop(message);
	if (origin.inboxRef && !changesConsent) {
		const [mark] = await store.markInboxDone([origin.inboxRef]);
		if (mark === 'done_before') return notApplied(base, 'already_done', options.defaultLanguage);
	}

	if (type === 'preference')
		return applyPreference(store, identity, message, origin, base, options);

	if (!match) {
		const known = await store.findByIdentity(identity);
		const text = typeof message.text === 'string' ? message.text : undefined;
		const other = {
			...base,
			route: 'other' as const,
			language: known?.language ?? options.defaultLanguage,
			pseudonym: known?.pseudonym,
			replyText: null,
		};
		// Only a text goes to staff, so only a text counts; one held back carries no text, so the
		// workflow's "Has Question Text" keeps it from Ask Staff without another node.
		if (text && options.staffLimit && options.staffLimit > 0) {
			const admission = await store.admitToStaff(identity, {
				limit: options.staffLimit,
				now: options.now,
			});
			if (admission === 'held') return { ...other, action: 'held_back', reason: 'held_back' };
		}
		return { ...other, action: 'other', text };
	}
	const reply = (kind: ReplyKind, language: Language, subscriber?: Subscriber) =>
		fillReply(options.texts[language][kind], replyValues(options, language, subscriber));
	const { keyword } = match;

	if (match.action === 'join') {
		const language = match.language ?? options.defaultLanguage;
		const result = await store.subscribeInOrder(
			{
				identity,
				language,
				source: 'whatsapp',
				keyword,
				messageId: proofMessageId(keys, message.messageId),
				textVersion: options.textVersion,
				at,
			},
			origin,
		);
		if (result.status === 'stale' || result.status === 'already_done')
			return notApplied(base, result.status, language, keyword);
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
		const result = await store.unsubscribeInOrder(
			identity,
			{ source: 'whatsapp', keyword, at },
			origin,
		);
		if (result.status === 'stale' || result.status === 'already_done')
			return notApplied(base, result.status, match.language ?? options.defaultLanguage, keyword);
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
