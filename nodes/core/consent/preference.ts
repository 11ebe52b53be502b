import type { Language } from '../language';
import type { Identity, NotApplied } from '../store/types';
import type {
	InboundMessage,
	MessageAction,
	MessageStore,
	ProcessOptions,
	ProcessResult,
} from './message-types';

const MARKETING = 'marketing_messages';

const NOT_APPLIED: Record<NotApplied['status'], { action: MessageAction; reason: string }> = {
	stale: {
		action: 'stale',
		reason:
			'A later Start or Stop of this person was applied already (by WhatsApp’s time stamps): this older message changes nothing and gets no reply',
	},
	already_done: {
		action: 'already_processed',
		reason: 'This message was processed already (it was handed out twice): nothing done again',
	},
};

/**
 * Meta's marketing opt-out from the WhatsApp settings is a withdrawal of consent for our
 * announcements (they would fail with 131050 anyway), so it deletes like STOP, without a reply
 * (the person asked for no messages). Opting in again there is not a consent to this service:
 * staff see it and the person can send START.
 */
export async function applyPreference(
	store: MessageStore,
	identity: Identity,
	message: InboundMessage,
	origin: { at: Date; inboxRef?: string },
	base: { sender: string; messageType: string },
	options: ProcessOptions,
): Promise<ProcessResult> {
	const { category, value } = preferenceOf(message);
	const known = await store.findByIdentity(identity);
	const language = known?.language ?? options.defaultLanguage;
	if (isMarketingStop(message)) {
		const keyword = `preference:${MARKETING}:stop`;
		const result = await store.unsubscribeInOrder(
			identity,
			{ source: 'whatsapp', keyword, at: origin.at },
			origin,
		);
		if (result.status === 'stale' || result.status === 'already_done')
			return notApplied(base, result.status, language, keyword);
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

function preferenceOf(message: InboundMessage): { category?: string; value: string } {
	const category = message.preference?.category ?? message.category;
	return {
		category,
		value: String(message.preference?.value ?? message.value ?? '').toLowerCase(),
	};
}

export function isMarketingStop(message: InboundMessage): boolean {
	if (message.type !== 'preference') return false;
	const { category, value } = preferenceOf(message);
	return category === MARKETING && value === 'stop';
}

/** A message that changed nothing: to Other with the reason, no reply, no text for staff. */
export function notApplied(
	base: { sender: string; messageType: string },
	status: NotApplied['status'],
	language: Language,
	keyword?: string,
): ProcessResult {
	return { ...base, route: 'other', language, keyword, replyText: null, ...NOT_APPLIED[status] };
}
