import { updateDisplayOptions } from 'n8n-workflow';

import { eachItemWithStore } from '../../shared/store-context';
import { phoneProperty, pseudonymProperty } from './common.description';
import { readPhone, readPseudonym } from './parameters';

export const description = updateDisplayOptions({ show: { operation: ['unsubscribe'] } }, [
	{
		displayName: 'Identify By',
		name: 'identifyBy',
		type: 'options',
		options: [
			{ name: 'Pseudonym', value: 'pseudonym' },
			{ name: 'Phone Number', value: 'phone' },
		],
		default: 'pseudonym',
	},
	{
		...pseudonymProperty,
		displayOptions: { show: { identifyBy: ['pseudonym'] } },
	},
	{
		...phoneProperty,
		displayOptions: { show: { identifyBy: ['phone'] } },
	},
]);

/** Removes a person at their request made outside WhatsApp (letter, phone call, counter). */
export const execute = eachItemWithStore(async function ({ store }, i) {
	const input = { source: 'manual' as const, keyword: 'manual' };
	const result =
		this.getNodeParameter('identifyBy', i) === 'phone'
			? await store.unsubscribe({ phone: readPhone(this, i) }, input)
			: await store.unsubscribePseudonym(readPseudonym(this, i), input);
	return result.status === 'deleted'
		? { action: 'unsubscribed', pseudonym: result.pseudonym }
		: { action: 'not_subscribed' };
});
