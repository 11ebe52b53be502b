import { hasPlausibleIdentity } from './identity';
import {
	MEDIA_TYPES,
	MESSAGE_TYPES,
	STATUS_VALUES,
	type MessageEvent,
	type MessageType,
	type ParsedDelivery,
	type PreferenceEvent,
	type SkipReason,
	type StatusEvent,
	type StatusValue,
	type WebhookErrorDetail,
	type WebhookEvent,
} from './types';

type Json = Record<string, unknown>;

/**
 * Turns a webhook body into events: every `entry[] → changes[] → value.messages[] / statuses[]`
 * and every `user_preferences` update, in order. Never throws and never trusts a shape: whatever
 * does not fit is skipped and counted by reason (the counts are safe to log, the parts are not).
 * A sender or recipient that is neither a plausible number nor a well-formed user ID is skipped
 * here too, so junk identities are never sealed, stored or emitted.
 */
export function parseEvents(body: unknown): ParsedDelivery {
	const events: WebhookEvent[] = [];
	const skipped: ParsedDelivery['skipped'] = {};
	const skip = (reason: SkipReason) => (skipped[reason] = (skipped[reason] ?? 0) + 1);
	if (!isObject(body)) {
		skip('not_json_object');
		return { events, skipped };
	}
	if (body.object !== 'whatsapp_business_account') {
		skip('wrong_object');
		return { events, skipped };
	}
	if (!Array.isArray(body.entry)) {
		skip('malformed_entry');
		return { events, skipped };
	}
	for (const entry of body.entry) {
		if (!isObject(entry) || !Array.isArray(entry.changes)) {
			skip('malformed_entry');
			continue;
		}
		for (const change of entry.changes) {
			if (!isObject(change) || typeof change.field !== 'string' || !isObject(change.value)) {
				skip('malformed_change');
				continue;
			}
			if (change.field === 'messages') parseMessagesValue(change.value, events, skip);
			else if (change.field === 'user_preferences') parsePreferences(change.value, events, skip);
			else skip('unknown_field');
		}
	}
	return { events, skipped };
}

function parseMessagesValue(value: Json, events: WebhookEvent[], skip: (r: SkipReason) => void) {
	const phoneNumberId = phoneNumberIdOf(value);
	const contacts = contactsOf(value.contacts);
	for (const raw of arrayOf(value.messages)) {
		const message = parseMessage(raw, phoneNumberId, contacts);
		if (!message) skip('malformed_message');
		else if (!hasPlausibleIdentity(message.from, message.userId)) skip('implausible_sender');
		else events.push(message);
	}
	for (const raw of arrayOf(value.statuses)) {
		const status = parseStatus(raw, phoneNumberId);
		if (!status) skip('malformed_status');
		else if (!plausibleRecipient(status)) skip('implausible_recipient');
		else events.push(status);
	}
}

function parsePreferences(value: Json, events: WebhookEvent[], skip: (r: SkipReason) => void) {
	const phoneNumberId = phoneNumberIdOf(value);
	for (const raw of arrayOf(value.user_preferences)) {
		const preference = parsePreference(raw, phoneNumberId);
		if (!preference) skip('malformed_preference');
		else if (!hasPlausibleIdentity(preference.from, preference.userId)) {
			skip('implausible_sender');
		} else events.push(preference);
	}
}

/** A status that names nobody stays (it still completes the ledger); one that names junk does not. */
function plausibleRecipient(status: StatusEvent): boolean {
	if (status.recipient === undefined && status.recipientUserId === undefined) return true;
	return hasPlausibleIdentity(status.recipient, status.recipientUserId);
}

interface ContactInfo {
	name?: string;
	userId?: string;
}

/** Contacts by `wa_id` and by `user_id`: where the profile name and user ID of a sender live. */
function contactsOf(raw: unknown): Map<string, ContactInfo> {
	const byId = new Map<string, ContactInfo>();
	for (const contact of arrayOf(raw)) {
		if (!isObject(contact)) continue;
		const profile = isObject(contact.profile) ? contact.profile : {};
		const info: ContactInfo = { name: str(profile.name), userId: str(contact.user_id) };
		const waId = str(contact.wa_id);
		if (waId) byId.set(`wa:${waId}`, info);
		if (info.userId) byId.set(`user:${info.userId}`, info);
	}
	return byId;
}

function parseMessage(
	raw: unknown,
	phoneNumberId: string,
	contacts: Map<string, ContactInfo>,
): MessageEvent | undefined {
	if (!isObject(raw)) return undefined;
	const messageId = str(raw.id);
	const timestamp = unixSeconds(raw.timestamp);
	const rawType = str(raw.type);
	const from = str(raw.from);
	const contact =
		(from && contacts.get(`wa:${from}`)) ||
		(str(raw.from_user_id) && contacts.get(`user:${str(raw.from_user_id)}`)) ||
		undefined;
	const userId = str(raw.from_user_id) ?? contact?.userId;
	if (!messageId || timestamp === undefined || !rawType || (!from && !userId)) return undefined;
	const type = knownType(rawType);
	const event: MessageEvent = {
		kind: 'message',
		phoneNumberId,
		from,
		userId,
		profileName: contact?.name,
		messageId,
		timestamp,
		type,
		// Meta's own type names only: a free-form value could carry anything.
		rawType: /^[a-z_]{1,32}$/.test(rawType) ? rawType : 'unknown',
		errors: errorsOf(raw.errors),
	};
	const context = isObject(raw.context) ? raw.context : undefined;
	if (context && str(context.id)) event.contextId = str(context.id);
	addTypeDetails(event, raw);
	return event;
}

function addTypeDetails(event: MessageEvent, raw: Json): void {
	const detail = isObject(raw[event.rawType]) ? (raw[event.rawType] as Json) : {};
	switch (event.type) {
		case 'text':
			event.text = str(detail.body);
			return;
		case 'button':
			event.text = str(detail.text);
			event.payload = str(detail.payload);
			return;
		case 'interactive': {
			const kind = str(detail.type);
			const reply = kind && isObject(detail[kind]) ? (detail[kind] as Json) : {};
			event.text = str(reply.title);
			event.payload = str(reply.id);
			return;
		}
		case 'reaction': {
			const messageId = str(detail.message_id);
			if (messageId) event.reaction = { messageId, emoji: str(detail.emoji) };
			return;
		}
		case 'location': {
			const { latitude, longitude } = detail;
			if (typeof latitude === 'number' && typeof longitude === 'number') {
				event.location = {
					latitude,
					longitude,
					name: str(detail.name),
					address: str(detail.address),
				};
			}
			return;
		}
		case 'system':
			// The body says "User A changed from <number> to <number>": only the kind is kept.
			event.systemType = /^[a-z_]{1,40}$/.test(str(detail.type) ?? '')
				? str(detail.type)
				: undefined;
			return;
		default:
			if ((MEDIA_TYPES as readonly string[]).includes(event.type)) {
				const id = str(detail.id);
				if (id) event.media = { id, mimeType: str(detail.mime_type), caption: str(detail.caption) };
			}
	}
}

function parseStatus(raw: unknown, phoneNumberId: string): StatusEvent | undefined {
	if (!isObject(raw)) return undefined;
	const messageId = str(raw.id);
	const timestamp = unixSeconds(raw.timestamp);
	const status = raw.status;
	if (!messageId || timestamp === undefined) return undefined;
	if (typeof status !== 'string' || !(STATUS_VALUES as readonly string[]).includes(status)) {
		return undefined;
	}
	const pricing = isObject(raw.pricing) ? raw.pricing : {};
	return {
		kind: 'status',
		phoneNumberId,
		messageId,
		status: status as StatusValue,
		timestamp,
		recipient: str(raw.recipient_id),
		recipientUserId: str(raw.recipient_user_id),
		errors: errorsOf(raw.errors),
		pricingCategory: str(pricing.category),
		bizOpaqueCallbackData: str(raw.biz_opaque_callback_data),
	};
}

function parsePreference(raw: unknown, phoneNumberId: string): PreferenceEvent | undefined {
	if (!isObject(raw)) return undefined;
	const from = str(raw.wa_id);
	const userId = str(raw.user_id);
	const timestamp = unixSeconds(raw.timestamp);
	const value = raw.value;
	const category = str(raw.category);
	if ((!from && !userId) || timestamp === undefined || !category) return undefined;
	if (value !== 'stop' && value !== 'resume') return undefined;
	return { kind: 'preference', phoneNumberId, from, userId, category, value, timestamp };
}

function errorsOf(raw: unknown): WebhookErrorDetail[] {
	const errors: WebhookErrorDetail[] = [];
	for (const error of arrayOf(raw)) {
		if (!isObject(error) || typeof error.code !== 'number' || !Number.isFinite(error.code))
			continue;
		errors.push({ code: error.code, title: (str(error.title) ?? '').slice(0, 200) });
	}
	return errors;
}

function knownType(rawType: string): MessageType {
	return (MESSAGE_TYPES as readonly string[]).includes(rawType)
		? (rawType as MessageType)
		: 'unknown';
}

function phoneNumberIdOf(value: Json): string {
	const metadata = isObject(value.metadata) ? value.metadata : {};
	return str(metadata.phone_number_id) ?? '';
}

/** Meta sends unix seconds as a string; accept a number too, reject anything else. */
const MAX_SECONDS = 253_402_300_799;

function unixSeconds(raw: unknown): number | undefined {
	const value = typeof raw === 'string' && /^\d{1,12}$/.test(raw) ? Number(raw) : raw;
	// Up to the year 9999, so that an ISO time can always be formed from it.
	return typeof value === 'number' &&
		Number.isSafeInteger(value) &&
		value >= 0 &&
		value <= MAX_SECONDS
		? value
		: undefined;
}

function str(raw: unknown): string | undefined {
	return typeof raw === 'string' && raw !== '' ? raw : undefined;
}

function arrayOf(raw: unknown): unknown[] {
	return Array.isArray(raw) ? raw : [];
}

function isObject(raw: unknown): raw is Json {
	return typeof raw === 'object' && raw !== null && !Array.isArray(raw);
}
