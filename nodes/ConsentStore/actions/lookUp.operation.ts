import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { mapEachItem } from '../../shared/each-item';
import type { ConsentContext, OperationResult } from './context';
import { readPseudonym } from './parameters';

export const description: INodeProperties[] = [
	{
		displayName: 'Pseudonym',
		name: 'pseudonym',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'Gast_0001',
		displayOptions: { show: { operation: ['lookUp'] } },
	},
];

/** What is stored about one subscriber (Art. 15), without the number or the wamid that encodes it. */
export async function execute(
	this: IExecuteFunctions,
	context: ConsentContext,
): Promise<OperationResult> {
	const { store } = await context.open();
	return mapEachItem(this, async (i) => {
		const pseudonym = readPseudonym(this, i);
		const subscriber = await store.findByPseudonym(pseudonym);
		if (!subscriber) return { found: false, pseudonym };
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
}
