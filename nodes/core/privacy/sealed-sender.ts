import { InputError } from '../errors';
import { decrypt, encrypt } from './cipher';
import type { PrivacyKeys } from './keys';

/**
 * A sender's identity as it travels through n8n execution data: encrypted with a key only
 * our nodes derive, with a random IV so the same person yields a different token every time
 * (tokens cannot be correlated across executions).
 */
export interface SenderIdentity {
	/** WhatsApp's digits-only `from` / `wa_id` (no `+`). */
	phone?: string;
	/** Business-scoped user ID; a user with a username may arrive without a number. */
	userId?: string;
}

const PREFIX = 'sealed1.';
const AAD = 'sealed-sender/v1';

export function isSealedSender(value: unknown): value is string {
	return typeof value === 'string' && value.startsWith(PREFIX);
}

export function sealSender(keys: PrivacyKeys, identity: SenderIdentity): string {
	if (!identity.phone && !identity.userId) {
		throw new InputError('Cannot seal a sender without a phone number or user ID');
	}
	const payload = JSON.stringify({ p: identity.phone, u: identity.userId });
	return PREFIX + encrypt(keys.sealing, payload, AAD).toString('base64url');
}

export function openSender(keys: PrivacyKeys, token: string): SenderIdentity {
	if (!isSealedSender(token)) {
		throw new InputError(
			'The sender token is not a sealed sender: pass the `sender` field of the WhatsApp Broadcast Trigger unchanged.',
		);
	}
	const json = decrypt(keys.sealing, Buffer.from(token.slice(PREFIX.length), 'base64url'), AAD);
	const parsed = JSON.parse(json) as { p?: string; u?: string };
	return { phone: parsed.p, userId: parsed.u };
}
