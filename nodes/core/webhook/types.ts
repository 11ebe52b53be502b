/**
 * What the WhatsApp webhook tells us, after parsing (`*Event`, plaintext, never leaves the trigger)
 * and as the trigger emits it (`*Item`, sealed, safe for n8n execution data).
 *
 * Consumers (Consent Store, WhatsApp Broadcast) read the `*Item` shapes:
 * - `sender` / `recipient` are sealed sender tokens (`sealed1.…`): open them with
 *   `openSender(keys, token)` from `nodes/core/privacy/sealer`.
 * - `messageId` / `contextId` / `reaction.messageId` are sealed message IDs (`sealedid1.…`): a
 *   wamid is base64 of a record that holds the other party's number in clear digits, so it is
 *   personal data and does not travel through n8n in clear. Open with `openMessageId(keys, id)`
 *   from `nodes/core/privacy/sealer` (it also passes plain wamids through unchanged).
 */

export type MessageType =
	| 'text'
	| 'button'
	| 'interactive'
	| 'image'
	| 'audio'
	| 'video'
	| 'document'
	| 'sticker'
	| 'reaction'
	| 'location'
	| 'contacts'
	| 'unsupported'
	| 'system'
	| 'order'
	| 'unknown';

export const MESSAGE_TYPES: readonly MessageType[] = [
	'text',
	'button',
	'interactive',
	'image',
	'audio',
	'video',
	'document',
	'sticker',
	'reaction',
	'location',
	'contacts',
	'unsupported',
	'system',
	'order',
	'unknown',
];

export const MEDIA_TYPES = ['image', 'audio', 'video', 'document', 'sticker'] as const;

export type StatusValue = 'sent' | 'delivered' | 'read' | 'failed' | 'played';
export const STATUS_VALUES: readonly StatusValue[] = [
	'sent',
	'delivered',
	'read',
	'failed',
	'played',
];

export interface WebhookErrorDetail {
	code: number;
	title: string;
}

export interface MediaDetail {
	id: string;
	mimeType?: string;
	/** Free text the citizen wrote under the media; kept like a text body. */
	caption?: string;
}

/** One inbound message, as parsed from `value.messages[]`. Holds plaintext identifiers. */
export interface MessageEvent {
	kind: 'message';
	phoneNumberId: string;
	/** Digits-only number (`from`); absent for a username-only user. */
	from?: string;
	/** Business-scoped user ID (`from_user_id` or the contact's `user_id`). */
	userId?: string;
	profileName?: string;
	messageId: string;
	/** Unix seconds. */
	timestamp: number;
	type: MessageType;
	/** The type as Meta wrote it (for `unknown`). */
	rawType: string;
	/** Text body, button text or interactive reply title. */
	text?: string;
	/** Button payload or interactive reply ID. */
	payload?: string;
	contextId?: string;
	media?: MediaDetail;
	reaction?: { messageId: string; emoji?: string };
	location?: { latitude: number; longitude: number; name?: string; address?: string };
	/** Only for `system`: what happened (`user_changed_number`, …); the numbers are dropped. */
	systemType?: string;
	errors: WebhookErrorDetail[];
}

/** One status of a message we sent, from `value.statuses[]`. */
export interface StatusEvent {
	kind: 'status';
	phoneNumberId: string;
	messageId: string;
	status: StatusValue;
	timestamp: number;
	recipient?: string;
	recipientUserId?: string;
	errors: WebhookErrorDetail[];
	pricingCategory?: string;
	bizOpaqueCallbackData?: string;
}

/** A `user_preferences` update: the user stopped or resumed marketing messages in WhatsApp. */
export interface PreferenceEvent {
	kind: 'preference';
	phoneNumberId: string;
	from?: string;
	userId?: string;
	category: string;
	value: 'stop' | 'resume';
	timestamp: number;
}

export type WebhookEvent = MessageEvent | StatusEvent | PreferenceEvent;

/** Why a part of a delivery produced no event; counted for a log line without personal data. */
export type SkipReason =
	| 'not_json_object'
	| 'wrong_object'
	| 'malformed_entry'
	| 'malformed_change'
	| 'unknown_field'
	| 'malformed_message'
	| 'malformed_status'
	| 'malformed_preference'
	/** A message or preference from someone who is neither a valid number nor a BSUID. */
	| 'implausible_sender'
	/** A status naming a recipient who is neither a valid number nor a BSUID. */
	| 'implausible_recipient';

export interface ParsedDelivery {
	events: WebhookEvent[];
	skipped: Partial<Record<SkipReason, number>>;
}

// ---- What the trigger emits -----------------------------------------------------------------

/** An item on the Messages output. `type: 'preference'` items are marketing stop/resume updates. */
export interface MessageItem {
	/** Sealed sender token (number and user ID together). */
	sender: string;
	/** Whether the sender arrived with a business-scoped user ID (it is inside `sender`). */
	hasUserId: boolean;
	/** Sealed message ID (or, for preferences, a keyed reference: there is no wamid). */
	messageId: string;
	/** ISO 8601, UTC. */
	time: string;
	/** Unix seconds, as Meta sent it. */
	timestamp: number;
	type: MessageType | 'preference';
	text?: string;
	payload?: string;
	contextId?: string;
	phoneNumberId: string;
	profileName?: string;
	media?: MediaDetail;
	reaction?: { messageId: string; emoji?: string };
	location?: { latitude: number; longitude: number; name?: string; address?: string };
	systemType?: string;
	errors?: WebhookErrorDetail[];
	/** Only for `type: 'preference'`. */
	preference?: { category: string; value: 'stop' | 'resume' };
	/**
	 * The message's row in the consent store's durable inbox (a keyed reference, no number), when
	 * the trigger dedupes in the consent store: Process Message closes it once applied.
	 */
	inbox?: string;
}

/** An item on the Statuses output. */
export interface StatusItem {
	/** Sealed message ID of the message we sent. */
	messageId: string;
	status: StatusValue;
	time: string;
	timestamp: number;
	/** Sealed recipient token; absent if Meta named nobody. */
	recipient?: string;
	errors: WebhookErrorDetail[];
	pricingCategory?: string;
	bizOpaqueCallbackData?: string;
	phoneNumberId: string;
}
