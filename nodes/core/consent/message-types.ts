import type { Language, LanguageCatalogue } from '../language';
import type { ConsentStore, InboxStore, OrderedConsent, StaffLimitStore } from '../store/types';
import type { KeywordParser } from './keywords';
import type { ReplyTexts } from './reply-texts';

/** What Process Message reads, decides and returns (process-message.ts, preference.ts). */

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
	/** The message's row in the durable inbox (trigger with consent-store dedupe, or Retry). */
	inbox?: string;
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
	| 'other'
	/** A later Start or Stop of the person (by Meta's timestamp) was applied: this one changes nothing. */
	| 'stale'
	/** Another execution processed this very message already (it was handed out twice). */
	| 'already_processed'
	/** The person sent more messages for staff this hour than the limit: counted, not forwarded. */
	| 'held_back';

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
	/** Why a message went to Other without being read (`stale`, `already_processed`). */
	reason?: string;
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
	/** At most this many messages an hour per person reach staff; 0 or absent: no limit. */
	staffLimit?: number;
	now?: Date;
}

/** What Process Message needs of the store: consent, applied in Meta's order, and the inbox. */
export type MessageStore = ConsentStore &
	OrderedConsent &
	Pick<InboxStore, 'markInboxDone'> &
	Pick<StaffLimitStore, 'admitToStaff'>;
