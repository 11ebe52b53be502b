import { type IExecuteFunctions, updateDisplayOptions } from 'n8n-workflow';

import { replyBudget, sendReply, type ReplyBudget } from '../../core/broadcast';
import { WhatsAppChannel } from '../../core/channels/whatsapp';
import { mapEachItem, type NodeOutputs } from '../../shared/each-item';
import type { BroadcastContext } from './context';

export const description = updateDisplayOptions({ show: { operation: ['reply'] } }, [
	{
		displayName: 'Recipient',
		name: 'recipient',
		type: 'string',
		default: '={{ $json.sender ?? $json.pseudonym }}',
		required: true,
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
		description:
			"Free text; WhatsApp delivers it only within 24 hours after the person's last message",
	},
]);

/** Free-text reply to one person inside the 24-hour window (Start/Stop confirmations, answers). */
export async function execute(
	this: IExecuteFunctions,
	context: BroadcastContext,
): Promise<NodeOutputs> {
	const { store, keys } = await context.open();
	// The client is built at the first send: a refused recipient needs no API settings.
	const channel = new WhatsAppChannel({
		send: async (message) => (await context.api()).send(message),
	});
	// Replies share the number with announcements: they use the share the sending loop leaves free.
	let budget: ReplyBudget | undefined;
	const take = async (signal?: AbortSignal) => {
		if (!budget) {
			const api = await context.apiSettings();
			budget = replyBudget(store, {
				sender: api.phoneNumberId,
				rate: api.messagesPerSecond,
				replyShare: api.replyShare,
			});
		}
		await budget.take(signal);
	};
	return mapEachItem(this, async (i) => {
		const result = await sendReply(
			store,
			keys,
			channel,
			{
				recipient: String(this.getNodeParameter('recipient', i, '') ?? ''),
				text: String(this.getNodeParameter('replyText', i, '') ?? ''),
			},
			{ budget: { take }, signal: this.getExecutionCancelSignal?.() },
		);
		return { ...result };
	});
}
