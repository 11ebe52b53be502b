import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InputError } from '../../core/errors';
import { normalizePhone } from '../../core/phone';
import { readRegion } from './common.description';
import { forEachItem, type ConsentContext, type OperationResult } from './context';

const show = { show: { operation: ['unsubscribe'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Identify By',
		name: 'identifyBy',
		type: 'options',
		options: [
			{ name: 'Pseudonym', value: 'pseudonym' },
			{ name: 'Phone Number', value: 'phone' },
		],
		default: 'pseudonym',
		displayOptions: show,
	},
	{
		displayName: 'Pseudonym',
		name: 'pseudonym',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'Gast_0001',
		displayOptions: { show: { operation: ['unsubscribe'], identifyBy: ['pseudonym'] } },
	},
	{
		displayName: 'Phone Number',
		name: 'phone',
		type: 'string',
		default: '',
		required: true,
		placeholder: '+49 151 23456789',
		displayOptions: { show: { operation: ['unsubscribe'], identifyBy: ['phone'] } },
	},
];

/** Removes a person at their request made outside WhatsApp (letter, phone call, counter). */
export async function execute(
	this: IExecuteFunctions,
	context: ConsentContext,
): Promise<OperationResult> {
	const { store } = await context.open();
	return forEachItem(this, 1, 0, async (i) => {
		const input = { source: 'manual' as const, keyword: 'manual' };
		let result;
		if (this.getNodeParameter('identifyBy', i) === 'phone') {
			const phone = normalizePhone(
				this.getNodeParameter('phone', i) as string,
				readRegion(this.getNodeParameter('defaultRegion', i)),
			);
			result = await store.unsubscribe({ phone }, input);
		} else {
			const pseudonym = (this.getNodeParameter('pseudonym', i) as string).trim();
			if (!pseudonym) throw new InputError('The pseudonym is empty: enter it, e.g. Gast_0001');
			result = await store.unsubscribePseudonym(pseudonym, input);
		}
		return {
			output: 0,
			json:
				result.status === 'deleted'
					? { action: 'unsubscribed', pseudonym: result.pseudonym }
					: { action: 'not_subscribed' },
		};
	});
}
