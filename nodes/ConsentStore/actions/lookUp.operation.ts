import { updateDisplayOptions } from 'n8n-workflow';

import { eachItemWithStore } from '../../shared/store-context';
import { pseudonymProperty } from './common.description';
import { readPseudonym } from './parameters';

export const description = updateDisplayOptions({ show: { operation: ['lookUp'] } }, [
	pseudonymProperty,
]);

/** What is stored about one subscriber (Art. 15), without the number or the wamid that encodes it. */
export const execute = eachItemWithStore(async function ({ store }, i) {
	const subscriber = await store.findByPseudonym(readPseudonym(this, i));
	// What was asked for is not repeated: staff may have typed a phone number into the field.
	if (!subscriber) return { found: false };
	return {
		found: true,
		pseudonym: subscriber.pseudonym,
		language: subscriber.language,
		consentAt: subscriber.consentAt.toISOString(),
		consentSource: subscriber.consentSource,
		consentKeyword: subscriber.consentKeyword,
		consentTextVersion: subscriber.consentTextVersion,
		consentMessageRecorded: subscriber.consentMessageId !== null,
		hasPhone: subscriber.hasPhone,
		hasUserId: subscriber.hasUserId,
	};
});
