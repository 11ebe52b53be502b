import { type IExecuteFunctions, updateDisplayOptions } from 'n8n-workflow';

import { mapEachItem } from '../../shared/each-item';
import type { ConsentContext, OperationResult } from './context';
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
		displayName: 'Pseudonym',
		name: 'pseudonym',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'Gast_0001',
		displayOptions: { show: { identifyBy: ['pseudonym'] } },
	},
	{
		displayName: 'Phone Number',
		name: 'phone',
		type: 'string',
		default: '',
		required: true,
		placeholder: '+49 151 23456789',
		displayOptions: { show: { identifyBy: ['phone'] } },
	},
]);

/** Removes a person at their request made outside WhatsApp (letter, phone call, counter). */
export async function execute(
	this: IExecuteFunctions,
	context: ConsentContext,
): Promise<OperationResult> {
	const { store } = await context.open();
	return mapEachItem(this, async (i) => {
		const input = { source: 'manual' as const, keyword: 'manual' };
		const result =
			this.getNodeParameter('identifyBy', i) === 'phone'
				? await store.unsubscribe({ phone: readPhone(this, i) }, input)
				: await store.unsubscribePseudonym(readPseudonym(this, i), input);
		return result.status === 'deleted'
			? { action: 'unsubscribed', pseudonym: result.pseudonym }
			: { action: 'not_subscribed' };
	});
}
