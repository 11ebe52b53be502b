import { type IExecuteFunctions, updateDisplayOptions } from 'n8n-workflow';

import type { ConsentContext, OperationResult } from './context';

export const description = updateDisplayOptions({ show: { operation: ['removeUndeliverable'] } }, [
	{
		displayName: 'Undeliverable In (Broadcasts in a Row)',
		name: 'undeliverableAfter',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 1000 },
		default: 3,
		description:
			'Delete a subscriber once WhatsApp reported their announcements undeliverable (error 131026: the number is no longer on WhatsApp) in this many broadcasts in a row. They are deleted like a Stop, with an audit entry; a delivered announcement starts the count again.',
	},
]);

/**
 * Data minimisation: deletes the subscribers WhatsApp cannot reach. An operation of its own, not an
 * option of Statistics, so that counting never deletes and the deletion is a step staff chose
 * (e.g. on a monthly schedule). Runs once, whatever the input items.
 */
export async function execute(
	this: IExecuteFunctions,
	context: ConsentContext,
): Promise<OperationResult> {
	const after = Number(this.getNodeParameter('undeliverableAfter', 0, 3));
	const { store } = await context.open();
	const { removed } = await store.removeUndeliverable({ after, source: 'manual' });
	if (removed.length > 0)
		this.logger.info(`Consent Store: removed ${removed.length} undeliverable subscriber(s)`, {
			node: this.getNode().name,
			removed: removed.length,
		});
	return [[{ json: { removed: removed.length, pseudonyms: removed, undeliverableAfter: after } }]];
}
