import { decrypt, encrypt } from '../privacy/cipher';
import type { PrivacyKeys } from '../privacy/keys';

/**
 * WhatsApp message IDs (wamids) carry the other party's number (base64 of a record with the
 * digits in clear), so the trigger seals them like senders before they enter execution data.
 * Tokens use a random IV: the same wamid seals differently every time.
 */
const PREFIX = 'sealedid1.';
const AAD = 'sealed-message-id/v1';

export function isSealedMessageId(value: unknown): value is string {
	return typeof value === 'string' && value.startsWith(PREFIX);
}

export function sealMessageId(keys: PrivacyKeys, messageId: string): string {
	return PREFIX + encrypt(keys.sealing, messageId, AAD).toString('base64url');
}

/** Opens a sealed message ID; anything else (a plain wamid, a preference reference) passes through. */
export function openMessageId(keys: PrivacyKeys, value: string): string {
	if (!isSealedMessageId(value)) return value;
	return decrypt(keys.sealing, Buffer.from(value.slice(PREFIX.length), 'base64url'), AAD);
}
