import { type IDataObject, type IExecuteFunctions, updateDisplayOptions } from 'n8n-workflow';

import type { NodeOutputs } from '../../shared/each-item';
import type { BroadcastContext } from './context';

/** No parameters: the credential names the number; the queue holds the rest. */
export const description = updateDisplayOptions({ show: { operation: ['resumeBroadcasts'] } }, [
	{
		displayName:
			'Sends every announcement still queued for this number: those posted without waiting, and those a crash, a restart or a database outage interrupted. Run it every minute (workflow "Resume Broadcasts").',
		name: 'resumeNotice',
		type: 'notice',
		default: '',
	},
]);

/**
 * One item per broadcast this run sent (resumed or first sent), or one item saying the number's
 * loop is busy elsewhere or the queue is empty. Counts only.
 */
export async function execute(
	this: IExecuteFunctions,
	context: BroadcastContext,
): Promise<NodeOutputs> {
	const { store } = await context.open();
	const { loop } = await context.senderLoop(store, { signal: this.getExecutionCancelSignal?.() });
	const result = await loop.drain();
	if (result.runs.length === 0) return [[{ json: { status: result.status, broadcasts: 0 } }]];
	return [
		result.runs.map((run) => ({
			json: { status: result.status, ...run } as unknown as IDataObject,
		})),
	];
}
