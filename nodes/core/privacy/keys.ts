import { createHmac, hkdfSync } from 'node:crypto';

import { ConfigError } from '../errors';
import { secretKey } from './key-object';

/** Independent 256-bit keys derived from the credential's one data-protection key. */
export interface PrivacyKeys {
	/** AES-256-GCM key for numbers and user IDs at rest. */
	readonly encryption: Buffer;
	/** HMAC-SHA256 key for blind indexes (equality look-ups without decrypting). */
	readonly blindIndex: Buffer;
	/** AES-256-GCM key for sealed sender tokens in n8n execution data. */
	readonly sealing: Buffer;
}

export const MIN_KEY_LENGTH = 16;

// Fixed salt: the derivation must give the same keys on every worker from the same secret.
const SALT = Buffer.from('n8n-nodes-civic-broadcast/v1');

function derive(secret: string, purpose: string): Buffer {
	return Buffer.from(hkdfSync('sha256', secret, SALT, purpose, 32));
}

export function derivePrivacyKeys(dataProtectionKey: string | undefined): PrivacyKeys {
	if (!dataProtectionKey || dataProtectionKey.trim() === '') {
		throw new ConfigError(
			'The data-protection key is missing: set it in the Consent Store credential (at least 16 characters, e.g. from `openssl rand -base64 32`).',
		);
	}
	if (dataProtectionKey.length < MIN_KEY_LENGTH) {
		throw new ConfigError(
			`The data-protection key is too short: use at least ${MIN_KEY_LENGTH} characters (e.g. from \`openssl rand -base64 32\`).`,
		);
	}
	return {
		encryption: derive(dataProtectionKey, 'encryption'),
		blindIndex: derive(dataProtectionKey, 'blind-index'),
		sealing: derive(dataProtectionKey, 'sealed-sender'),
	};
}

/** Keyed hash for look-ups: equal inputs give equal indexes; the database alone reveals nothing. */
export function blindIndex(
	keys: PrivacyKeys,
	kind: 'phone' | 'user' | 'message' | 'event',
	value: string,
): string {
	return createHmac('sha256', secretKey(keys.blindIndex))
		.update(`${kind}:${value}`)
		.digest('base64url');
}

/**
 * How long an event reference is: 22 base64url characters, 132 bits of the blind index. Events are
 * remembered for 7 days (Meta's retry horizon); a chance collision among them is negligible.
 * Stored refs have this length (store migration 4 shortened older, full-length ones).
 */
const EVENT_REF_LENGTH = 22;

/**
 * The one reference to a webhook event (see `eventKey`): a keyed hash that is stable per
 * data-protection key and reveals nothing without it. Dedupe keeps it (store and workflow static
 * data) and a preference update carries it in place of a message ID.
 */
export function eventRef(keys: PrivacyKeys, eventKey: string): string {
	return blindIndex(keys, 'event', eventKey).slice(0, EVENT_REF_LENGTH);
}
