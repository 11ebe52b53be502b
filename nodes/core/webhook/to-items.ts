import { eventRef, type PrivacyKeys } from '../privacy/keys';
import { sealMessageId, sealSender } from '../privacy/sealer';
import { eventKey } from './dedupe';
import type {
	MessageEvent,
	MessageItem,
	PreferenceEvent,
	StatusEvent,
	StatusItem,
	WebhookEvent,
} from './types';

export interface ItemOptions {
	/** Keep the WhatsApp profile name (off by default: data minimisation). */
	keepProfileName?: boolean;
	/** Give message items their inbox reference (`inbox`): the consent store keeps them. */
	inboxRefs?: boolean;
}

/** One event as an item, with the output it goes to. */
export type OutputItem =
	| { output: 'messages'; item: MessageItem }
	| { output: 'statuses'; item: StatusItem };

export interface Items {
	messages: MessageItem[];
	statuses: StatusItem[];
}

/**
 * Turns parsed events into output items with no plaintext identifier: the sender (number and
 * user ID together) and every wamid are sealed with the data-protection key, the profile name is
 * dropped unless asked for, and undefined fields are left out.
 */
export function toItems(
	events: readonly WebhookEvent[],
	keys: PrivacyKeys,
	options: ItemOptions = {},
): Items {
	const items: Items = { messages: [], statuses: [] };
	for (const event of events) {
		const one = toItem(event, keys, options);
		if (one.output === 'messages') items.messages.push(one.item);
		else items.statuses.push(one.item);
	}
	return items;
}

export function toItem(
	event: WebhookEvent,
	keys: PrivacyKeys,
	options: ItemOptions = {},
): OutputItem {
	if (event.kind === 'status') return { output: 'statuses', item: statusItem(event, keys) };
	const item =
		event.kind === 'message' ? messageItem(event, keys, options) : preferenceItem(event, keys);
	if (options.inboxRefs) item.inbox = eventRef(keys, eventKey(event));
	return { output: 'messages', item };
}

function messageItem(event: MessageEvent, keys: PrivacyKeys, options: ItemOptions): MessageItem {
	const item: MessageItem = {
		sender: sealSender(keys, { phone: event.from, userId: event.userId }),
		hasUserId: event.userId !== undefined,
		messageId: sealMessageId(keys, event.messageId),
		time: isoTime(event.timestamp),
		timestamp: event.timestamp,
		type: event.type,
		text: event.text,
		payload: event.payload,
		contextId: event.contextId ? sealMessageId(keys, event.contextId) : undefined,
		phoneNumberId: event.phoneNumberId,
		profileName: options.keepProfileName ? event.profileName : undefined,
		media: event.media,
		reaction: event.reaction && {
			messageId: sealMessageId(keys, event.reaction.messageId),
			emoji: event.reaction.emoji,
		},
		location: event.location,
		systemType: event.systemType,
		errors: event.errors.length ? event.errors : undefined,
	};
	return withoutUndefined(item);
}

function preferenceItem(event: PreferenceEvent, keys: PrivacyKeys): MessageItem {
	return withoutUndefined<MessageItem>({
		sender: sealSender(keys, { phone: event.from, userId: event.userId }),
		hasUserId: event.userId !== undefined,
		// No wamid exists for a preference update: the event's keyed reference stands in for one.
		messageId: `preference.${eventRef(keys, eventKey(event))}`,
		time: isoTime(event.timestamp),
		timestamp: event.timestamp,
		type: 'preference',
		phoneNumberId: event.phoneNumberId,
		preference: { category: event.category, value: event.value },
	});
}

function statusItem(event: StatusEvent, keys: PrivacyKeys): StatusItem {
	const hasRecipient = event.recipient !== undefined || event.recipientUserId !== undefined;
	return withoutUndefined<StatusItem>({
		messageId: sealMessageId(keys, event.messageId),
		status: event.status,
		time: isoTime(event.timestamp),
		timestamp: event.timestamp,
		recipient: hasRecipient
			? sealSender(keys, { phone: event.recipient, userId: event.recipientUserId })
			: undefined,
		errors: event.errors,
		pricingCategory: event.pricingCategory,
		bizOpaqueCallbackData: event.bizOpaqueCallbackData,
		phoneNumberId: event.phoneNumberId,
	});
}

function isoTime(unixSeconds: number): string {
	return new Date(unixSeconds * 1000).toISOString();
}

/** n8n stores `undefined` fields as missing anyway; dropping them keeps items tidy and comparable. */
function withoutUndefined<T extends object>(value: T): T {
	for (const key of Object.keys(value) as Array<keyof T>) {
		if (value[key] === undefined) delete value[key];
		else if (isPlainObject(value[key])) withoutUndefined(value[key] as object);
	}
	return value;
}

function isPlainObject(value: unknown): boolean {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
