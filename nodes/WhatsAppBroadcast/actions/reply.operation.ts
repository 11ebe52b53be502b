import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { prepareMessage } from '../../core/broadcast';
import { InputError } from '../../core/errors';
import { isSealedSender, openSender } from '../../core/privacy/sealed-sender';
import type { Recipient } from '../../core/store';
import { mapEachItem, type NodeOutputs } from '../../shared/each-item';
import type { BroadcastContext } from './context';

const show = { show: { operation: ['reply'] } };

export const description: INodeProperties[] = [
	{
		displayName: 'Recipient',
		name: 'recipient',
		type: 'string',
		default: '={{ $json.sender ?? $json.pseudonym }}',
		required: true,
		displayOptions: show,
		description:
			'A pseudonym (e.g. Bürger_0042) or a sealed sender token from the trigger; never a phone number',
	},
	{
		displayName: 'Text',
		name: 'replyText',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '={{ $json.replyText }}',
		required: true,
		displayOptions: show,
		description:
			"Free text; WhatsApp delivers it only within 24 hours after the person's last message",
	},
];

async function resolveRecipient(context: BroadcastContext, value: string): Promise<Recipient> {
	if (isSealedSender(value)) {
		const identity = openSender(context.keys, value);
		const subscriber = await context.store.findByIdentity(identity);
		return {
			subscriberId: subscriber?.id ?? 0,
			pseudonym: subscriber?.pseudonym ?? 'sender',
			language: subscriber?.language ?? 'de',
			...identity,
		};
	}
	if (/^\+?\d[\d\s-]{5,}$/.test(value))
		throw new InputError(
			"The recipient looks like a phone number: pass a pseudonym or the trigger's sealed `sender` token instead",
		);
	const recipient = await context.store.recipientByPseudonym(value);
	if (!recipient) throw new InputError(`No subscriber has the pseudonym "${value}"`);
	return recipient;
}

/** Free-text reply to one person inside the 24-hour window (Start/Stop confirmations, answers). */
export async function execute(
	this: IExecuteFunctions,
	context: BroadcastContext,
): Promise<NodeOutputs> {
	return mapEachItem(this, async (i) => {
		const value = String(this.getNodeParameter('recipient', i, '') ?? '').trim();
		if (!value)
			throw new InputError("The recipient is empty: map the trigger's `sender` or a pseudonym");
		const text = String(this.getNodeParameter('replyText', i, '') ?? '');
		const recipient = await resolveRecipient(context, value);
		if (!recipient.phone)
			throw new InputError(
				`${recipient.pseudonym} can only be reached by user ID, which replies do not support yet`,
			);
		const message = prepareMessage({ mode: 'text', text })(recipient);
		const result = await (await context.api()).send(message);
		if (!result.ok) {
			if (result.error.code === 131047)
				throw new InputError(
					`The 24-hour window for ${recipient.pseudonym} has closed: free text is delivered only within 24 hours after their last message. Send an approved template instead.`,
				);
			throw result.error;
		}
		return { recipient: recipient.pseudonym, sent: true, status: 'accepted' };
	});
}
