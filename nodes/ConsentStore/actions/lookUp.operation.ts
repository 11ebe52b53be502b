import { type IExecuteFunctions, updateDisplayOptions } from 'n8n-workflow';

import { mapEachItem } from '../../shared/each-item';
import type { ConsentContext, OperationResult } from './context';
import { readPseudonym } from './parameters';

export const description = updateDisplayOptions({ show: { operation: ['lookUp'] } }, [
	{
		displayName: 'Pseudonym',
		name: 'pseudonym',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'Gast_0001',
	},
]);

/** What is stored about one subscriber (Art. 15), without the number or the wamid that encodes it. */
export async function execute(
	this: IExecuteFunctions,
	context: ConsentContext,
): Promise<OperationResult> {
	const { store } = await context.open();
	return mapEachItem(this, async (i) => {
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
}
