import type { IdentityCodec } from './identity-codec';
import type { Row } from './sql-driver';
import type { ConsentSource, Language, Recipient, Subscriber } from './types';

export const SUBSCRIBER_COLUMNS = `id, pseudonym, language, consent_at, consent_source, consent_keyword, consent_message_cipher, consent_text_version, phone_index, user_index`;

export function toSubscriber(row: Row, codec: IdentityCodec): Subscriber {
	return {
		id: Number(row.id),
		pseudonym: String(row.pseudonym),
		language: row.language as Language,
		consentAt: new Date(Number(row.consent_at)),
		consentSource: row.consent_source as ConsentSource,
		consentKeyword: (row.consent_keyword as string | null) ?? null,
		consentMessageId: codec.openConsentMessage(row.consent_message_cipher),
		consentTextVersion: String(row.consent_text_version),
		hasPhone: row.phone_index !== null && row.phone_index !== undefined,
		hasUserId: row.user_index !== null && row.user_index !== undefined,
	};
}

export function toRecipient(codec: IdentityCodec, row: Row): Recipient {
	const identity = codec.open(row);
	return {
		subscriberId: Number(row.id),
		pseudonym: String(row.pseudonym),
		language: row.language as Language,
		...(identity.phone ? { phone: identity.phone } : {}),
		...(identity.userId ? { userId: identity.userId } : {}),
	};
}
