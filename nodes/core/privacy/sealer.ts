import { InputError } from '../errors';
import { decrypt, encrypt } from './cipher';
import type { PrivacyKeys } from './keys';

/**
 * Every token that carries personal data through n8n execution data is made one way: AES-256-GCM
 * under the sealing key with a random IV (the same value seals differently every time, so tokens
 * cannot be correlated across executions), behind a prefix that names the kind, with associated
 * data that binds the ciphertext to that kind (a sealed message ID does not open as a sender).
 *
 * Prefixes and associated data are part of the stored format: tokens already sit in n8n execution
 * data and in workflows' pinned data, so a change needs a new kind (`sealed2.`), never an edit.
 */
const KINDS = {
	/** A sender's or recipient's identity (number and business-scoped user ID together). */
	sender: { prefix: 'sealed1.', associatedData: 'sealed-sender/v1' },
	/** A WhatsApp message ID (a wamid holds the other party's number in clear digits). */
	messageId: { prefix: 'sealedid1.', associatedData: 'sealed-message-id/v1' },
} as const;

export type SealedKind = keyof typeof KINDS;

export interface Sealer {
	readonly prefix: string;
	/** Whether the value is a token of this kind (by its prefix; opening checks the rest). */
	is(value: unknown): value is string;
	seal(keys: PrivacyKeys, plaintext: string): string;
	/** Throws DecryptionError when the token was sealed with another key or altered. */
	open(keys: PrivacyKeys, token: string): string;
}

export function sealer(kind: SealedKind): Sealer {
	const { prefix, associatedData } = KINDS[kind];
	const is = (value: unknown): value is string =>
		typeof value === 'string' && value.startsWith(prefix);
	return {
		prefix,
		is,
		seal: (keys, plaintext) =>
			prefix + encrypt(keys.sealing, plaintext, associatedData).toString('base64url'),
		open: (keys, token) => {
			if (!is(token)) throw new InputError(`The value is not a sealed ${kind} token`);
			const body = Buffer.from(token.slice(prefix.length), 'base64url');
			return decrypt(keys.sealing, body, associatedData);
		},
	};
}

// ---- The two kinds -------------------------------------------------------------------------

/** Who sent (or received) a message, as the trigger seals it. */
export interface SenderIdentity {
	/** WhatsApp's digits-only `from` / `wa_id` (no `+`). */
	phone?: string;
	/** Business-scoped user ID; a user with a username may arrive without a number. */
	userId?: string;
}

const senders = sealer('sender');
const messageIds = sealer('messageId');

export const isSealedSender = senders.is;

export function sealSender(keys: PrivacyKeys, identity: SenderIdentity): string {
	if (!identity.phone && !identity.userId) {
		throw new InputError('Cannot seal a sender without a phone number or user ID');
	}
	return senders.seal(keys, JSON.stringify({ p: identity.phone, u: identity.userId }));
}

export function openSender(keys: PrivacyKeys, token: string): SenderIdentity {
	if (!senders.is(token)) {
		throw new InputError(
			'The sender token is not a sealed sender: pass the `sender` field of the WhatsApp Broadcast Trigger unchanged.',
		);
	}
	const parsed = JSON.parse(senders.open(keys, token)) as { p?: string; u?: string };
	return { phone: parsed.p, userId: parsed.u };
}

export const isSealedMessageId = messageIds.is;

export function sealMessageId(keys: PrivacyKeys, messageId: string): string {
	return messageIds.seal(keys, messageId);
}

/** Opens a sealed message ID; anything else (a plain wamid, a preference reference) passes through. */
export function openMessageId(keys: PrivacyKeys, value: string): string {
	return messageIds.is(value) ? messageIds.open(keys, value) : value;
}
