import { decrypt, encrypt } from '../privacy/cipher';
import { blindIndex, eventRef, type PrivacyKeys } from '../privacy/keys';
import type { Identity } from './types';

/** How an identity is kept in the database: a keyed blind index to find it, ciphertext to use it. */
export interface SealedIdentity {
	phoneIndex: string | null;
	phoneCipher: Buffer | null;
	userIndex: string | null;
	userCipher: Buffer | null;
}

// Associated data binds each ciphertext to its column: a value copied elsewhere will not decrypt.
const PHONE_AAD = 'subscribers.phone';
const USER_AAD = 'subscribers.user_id';
const CONSENT_MESSAGE_AAD = 'subscribers.consent_message_id';
const INBOX_ITEM_AAD = 'inbox.item';

export class IdentityCodec {
	constructor(private readonly keys: PrivacyKeys) {}

	indexes(identity: Identity): { phoneIndex: string | null; userIndex: string | null } {
		return {
			phoneIndex: identity.phone ? blindIndex(this.keys, 'phone', identity.phone) : null,
			userIndex: identity.userId ? blindIndex(this.keys, 'user', identity.userId) : null,
		};
	}

	seal(identity: Identity): SealedIdentity {
		return {
			...this.indexes(identity),
			phoneCipher: identity.phone ? encrypt(this.keys.encryption, identity.phone, PHONE_AAD) : null,
			userCipher: identity.userId ? encrypt(this.keys.encryption, identity.userId, USER_AAD) : null,
		};
	}

	/**
	 * WhatsApp message IDs (wamids) encode the sender's or recipient's number in base64, so they are
	 * personal data too: the database keeps only a keyed hash for look-ups…
	 */
	messageRef(messageId: string): string {
		return blindIndex(this.keys, 'message', messageId);
	}

	eventRef(key: string): string {
		return eventRef(this.keys, key);
	}

	/** …or, for the proof of consent, which must be shown on request, ciphertext. */
	sealConsentMessage(messageId: string | undefined): Buffer | null {
		return messageId ? encrypt(this.keys.encryption, messageId, CONSENT_MESSAGE_AAD) : null;
	}

	openConsentMessage(cipher: unknown): string | null {
		return cipher ? decrypt(this.keys.encryption, toBuffer(cipher), CONSENT_MESSAGE_AAD) : null;
	}

	/** An inbox item (sealed sender, sealed wamid, the message text) as JSON, encrypted at rest. */
	sealInboxItem(json: string): Buffer {
		return encrypt(this.keys.encryption, json, INBOX_ITEM_AAD);
	}

	openInboxItem(cipher: unknown): string {
		return decrypt(this.keys.encryption, toBuffer(cipher), INBOX_ITEM_AAD);
	}

	open(row: { phone_cipher?: unknown; user_cipher?: unknown }): Identity {
		const identity: Identity = {};
		if (row.phone_cipher)
			identity.phone = decrypt(this.keys.encryption, toBuffer(row.phone_cipher), PHONE_AAD);
		if (row.user_cipher)
			identity.userId = decrypt(this.keys.encryption, toBuffer(row.user_cipher), USER_AAD);
		return identity;
	}
}

function toBuffer(value: unknown): Buffer {
	return Buffer.isBuffer(value) ? value : Buffer.from(value as Uint8Array);
}
