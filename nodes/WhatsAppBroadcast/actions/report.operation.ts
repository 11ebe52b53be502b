import { type IDataObject, type IExecuteFunctions, updateDisplayOptions } from 'n8n-workflow';

import { InputError } from '../../core/errors';
import type { BroadcastReport } from '../../core/store';
import type { NodeOutputs } from '../../shared/each-item';
import type { BroadcastContext } from './context';

export const description = updateDisplayOptions({ show: { operation: ['report'] } }, [
	{
		displayName: 'Broadcast Key',
		name: 'reportKey',
		type: 'string',
		default: '',
		description: 'The key of one broadcast; empty lists the most recent broadcasts',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		displayOptions: { show: { reportKey: [''] } },
		description: 'Max number of results to return',
	},
]);

function toJson(report: BroadcastReport): IDataObject {
	return { ...report, createdAt: report.createdAt.toISOString() } as unknown as IDataObject;
}

/** Per-broadcast counts of sent / delivered / read / failed; one item per broadcast. */
export async function execute(
	this: IExecuteFunctions,
	context: BroadcastContext,
): Promise<NodeOutputs> {
	const { store } = await context.open();
	const key = String(this.getNodeParameter('reportKey', 0, '') ?? '').trim();
	if (key) {
		const report = await store.broadcastReport(key);
		if (!report) throw new InputError(`No broadcast has the key "${key}"`);
		return [[{ json: toJson(report) }]];
	}
	const limit = this.getNodeParameter('limit', 0, 50) as number;
	const reports = await store.listBroadcasts({ limit });
	return [reports.map((report) => ({ json: toJson(report) }))];
}
