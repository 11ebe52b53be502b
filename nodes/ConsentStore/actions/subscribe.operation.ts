import { updateDisplayOptions } from 'n8n-workflow';

import type { Language } from '../../core/store';
import { eachItemWithStore } from '../../shared/store-context';
import { phoneProperty } from './common.description';
import { readPhone } from './parameters';

export const description = updateDisplayOptions({ show: { operation: ['subscribe'] } }, [
	{
		...phoneProperty,
		description:
			'Number from the paper sign-up; without country code the default region applies. It is stored encrypted and never shown in the output.',
	},
	{
		displayName: 'Consent Note',
		name: 'consentNote',
		type: 'string',
		default: 'paper form',
		description:
			'How the person consented (kept as proof, e.g. "paper form 2026-11-03, town hall"). Do not enter names or numbers.',
	},
]);

/** Staff enter a paper sign-up by hand. */
export const execute = eachItemWithStore(async function ({ store }, i) {
	const result = await store.subscribe({
		identity: { phone: readPhone(this, i) },
		language: this.getNodeParameter('defaultLanguage', i) as Language,
		source: 'manual',
		keyword: (this.getNodeParameter('consentNote', i, '') as string).trim() || 'manual',
		textVersion: this.getNodeParameter('consentTextVersion', i) as string,
	});
	return {
		action: result.status === 'created' ? 'subscribed' : 'already_subscribed',
		pseudonym: result.subscriber.pseudonym,
		language: result.subscriber.language,
		consentAt: result.subscriber.consentAt.toISOString(),
	};
});
