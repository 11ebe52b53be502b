import { type IDataObject, type IExecuteFunctions, updateDisplayOptions } from 'n8n-workflow';

import type { ConsentContext, OperationResult } from './context';

export const description = updateDisplayOptions({ show: { operation: ['retryMessages'] } }, [
	{
		displayName: 'Unprocessed For (Seconds)',
		name: 'olderThanSeconds',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 120,
		description:
			'Hand out a message again when Process Message has not applied it this long after it arrived (or after it was last handed out). Keep it above the usual time from webhook to Process Message, or messages in progress are handed out twice (Process Message then skips them).',
	},
	{
		displayName: 'Max Messages',
		name: 'maxMessages',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 200,
		description: 'At most this many per run; the rest follow in the next runs, oldest first',
	},
]);

/**
 * The durable inbox handed out again: messages the webhook answered 200 for but no Process
 * Message applied yet (n8n failed to start the execution, or it crashed), as the same sealed items
 * the trigger emits, so they feed the same Process Message. Runs once, whatever the input items.
 */
export async function execute(
	this: IExecuteFunctions,
	context: ConsentContext,
): Promise<OperationResult> {
	const olderThanSeconds = Number(this.getNodeParameter('olderThanSeconds', 0, 120));
	const limit = Number(this.getNodeParameter('maxMessages', 0, 200));
	const { store } = await context.open();
	const entries = await store.pendingInbox({ olderThanMs: olderThanSeconds * 1000, limit });
	if (entries.length > 0)
		this.logger.info(`Consent Store: handed out ${entries.length} unprocessed message(s) again`, {
			node: this.getNode().name,
			messages: entries.length,
			mostAttempts: Math.max(...entries.map((e) => e.attempts)),
		});
	return [entries.map((entry) => ({ json: entry.item as IDataObject }))];
}
