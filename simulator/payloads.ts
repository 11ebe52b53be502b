import { createHmac } from 'node:crypto';

/**
 * Meta's webhook payloads (what Meta sends: `Server*`), builders shared by the simulator and tests,
 * and the exact serialisation and signature Meta uses.
 */

export interface ServerMetadata {
	display_phone_number: string;
	phone_number_id: string;
}

export interface ServerContact {
	profile?: { name: string };
	wa_id?: string;
	user_id?: string;
}

export interface ServerMessageBase {
	from?: string;
	from_user_id?: string;
	id: string;
	timestamp: string;
	context?: { from?: string; id: string };
}

export type ServerMessage = ServerMessageBase &
	(
		| { type: 'text'; text: { body: string } }
		| { type: 'button'; button: { payload: string; text: string } }
		| {
				type: 'interactive';
				interactive:
					| { type: 'button_reply'; button_reply: { id: string; title: string } }
					| { type: 'list_reply'; list_reply: { id: string; title: string; description?: string } };
		  }
		| {
				type: 'image' | 'audio' | 'video' | 'document' | 'sticker';
				[media: string]: unknown;
		  }
		| { type: 'reaction'; reaction: { message_id: string; emoji?: string } }
		| {
				type: 'location';
				location: { latitude: number; longitude: number; name?: string; address?: string };
		  }
		| { type: 'contacts'; contacts: unknown[] }
		| { type: 'unsupported'; errors: ServerError[] }
		| { type: 'system'; system: { body: string; type: string; wa_id?: string; new_wa_id?: string } }
	);

export interface ServerError {
	code: number;
	title: string;
	message?: string;
	error_data?: { details: string };
}

export type ServerStatusValue = 'sent' | 'delivered' | 'read' | 'failed' | 'played';

export interface ServerStatus {
	id: string;
	status: ServerStatusValue;
	timestamp: string;
	recipient_id?: string;
	recipient_user_id?: string;
	biz_opaque_callback_data?: string;
	errors?: ServerError[];
	pricing?: { billable?: boolean; pricing_model: string; type?: string; category: string };
	conversation?: { id: string; origin: { type: string } };
}

export interface ServerUserPreference {
	wa_id?: string;
	user_id?: string;
	detail?: string;
	category: 'marketing_messages';
	value: 'stop' | 'resume';
	timestamp: number;
}

export interface ServerMessagesValue {
	messaging_product: 'whatsapp';
	metadata: ServerMetadata;
	contacts?: ServerContact[];
	messages?: ServerMessage[];
	statuses?: ServerStatus[];
}

export interface ServerChange {
	field: string;
	value: ServerMessagesValue | { user_preferences: ServerUserPreference[]; [key: string]: unknown };
}

export interface ServerEnvelope {
	object: 'whatsapp_business_account';
	entry: Array<{ id: string; changes: ServerChange[] }>;
}

/** What a simulated citizen sends. */
export type CitizenMessage =
	| { text: string }
	| { button: { payload: string; text: string }; contextId?: string }
	| { interactive: { id: string; title: string; kind?: 'button_reply' | 'list_reply' } }
	| { reaction: { messageId: string; emoji?: string } }
	| { image: { id: string; mimeType?: string; caption?: string } };

export interface CitizenIdentity {
	/** Digits only, international (WhatsApp's `wa_id`); absent for a username-only user. */
	from?: string;
	/** Business-scoped user ID. */
	userId?: string;
	profileName?: string;
}

export function buildInboundMessage(
	id: string,
	citizen: CitizenIdentity,
	message: CitizenMessage,
	timestampSeconds: number,
): ServerMessage {
	const base: ServerMessageBase = { id, timestamp: String(timestampSeconds) };
	if (citizen.from) base.from = citizen.from;
	if (citizen.userId) base.from_user_id = citizen.userId;
	if ('text' in message) return { ...base, type: 'text', text: { body: message.text } };
	if ('button' in message) {
		return {
			...base,
			...(message.contextId ? { context: { from: undefined, id: message.contextId } } : {}),
			type: 'button',
			button: message.button,
		};
	}
	if ('interactive' in message) {
		const { id: replyId, title, kind = 'button_reply' } = message.interactive;
		const interactive =
			kind === 'button_reply'
				? { type: 'button_reply' as const, button_reply: { id: replyId, title } }
				: { type: 'list_reply' as const, list_reply: { id: replyId, title } };
		return { ...base, type: 'interactive', interactive };
	}
	if ('reaction' in message) {
		const reaction: { message_id: string; emoji?: string } = {
			message_id: message.reaction.messageId,
		};
		if (message.reaction.emoji !== undefined) reaction.emoji = message.reaction.emoji;
		return { ...base, type: 'reaction', reaction };
	}
	const image: Record<string, string> = {
		id: message.image.id,
		mime_type: message.image.mimeType ?? 'image/jpeg',
		sha256: 'c2ltdWxhdGVkLWltYWdlLWhhc2g=',
	};
	if (message.image.caption) image.caption = message.image.caption;
	return { ...base, type: 'image', image };
}

export function buildContact(citizen: CitizenIdentity): ServerContact {
	const contact: ServerContact = {};
	if (citizen.profileName) contact.profile = { name: citizen.profileName };
	if (citizen.from) contact.wa_id = citizen.from;
	if (citizen.userId) contact.user_id = citizen.userId;
	return contact;
}

/** One change of field `messages` carrying messages and/or statuses. */
export function buildMessagesChange(
	metadata: ServerMetadata,
	parts: { contacts?: ServerContact[]; messages?: ServerMessage[]; statuses?: ServerStatus[] },
): ServerChange {
	const value: ServerMessagesValue = { messaging_product: 'whatsapp', metadata };
	if (parts.contacts?.length) value.contacts = parts.contacts;
	if (parts.messages?.length) value.messages = parts.messages;
	if (parts.statuses?.length) value.statuses = parts.statuses;
	return { field: 'messages', value };
}

export function buildUserPreferencesChange(
	metadata: ServerMetadata,
	preferences: ServerUserPreference[],
): ServerChange {
	return {
		field: 'user_preferences',
		value: { messaging_product: 'whatsapp', metadata, user_preferences: preferences },
	};
}

export function buildEnvelope(wabaId: string, changesPerEntry: ServerChange[][]): ServerEnvelope {
	return {
		object: 'whatsapp_business_account',
		entry: changesPerEntry.map((changes) => ({ id: wabaId, changes })),
	};
}

/**
 * JSON as Meta writes it: every non-ASCII UTF-16 unit escaped as `\uXXXX` (emoji become surrogate
 * pairs) and `/` escaped as `\/`. A receiver that re-serialises the parsed body gets other bytes,
 * so its signature check fails: that is exactly the bug this serialisation lets tests catch.
 */
export function serializeLikeMeta(payload: unknown): string {
	return JSON.stringify(payload)
		.replace(/\//g, '\\/')
		.replace(/[\u007f-\uffff]/g, (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** The `X-Hub-Signature-256` header value for a raw body. */
export function signBody(rawBody: string | Buffer, appSecret: string): string {
	return 'sha256=' + createHmac('sha256', appSecret).update(rawBody).digest('hex');
}
