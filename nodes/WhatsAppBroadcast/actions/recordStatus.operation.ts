import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InputError } from '../../core/errors';
import type { StatusUpdate } from '../../core/store';
import { openMessageId } from '../../core/webhook/sealed-message-id';
import { mapEachItem, type NodeOutputs } from '../../shared/each-item';
import type { BroadcastContext } from './context';

const show = { show: { operation: ['recordStatus'] } };
const STATUSES = new Set(['sent', 'delivered', 'read', 'failed', 'played']);

export const description: INodeProperties[] = [
	{
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		default: '={{ $json.messageId }}',
		required: true,
		displayOptions: show,
		description: "The (sealed) message ID from the trigger's statuses output",
	},
	{
		displayName: 'Status',
		name: 'status',
		type: 'string',
		default: '={{ $json.status }}',
		required: true,
		displayOptions: show,
		description: 'Sent, delivered, read, failed or played',
	},
	{
		displayName: 'Time',
		name: 'time',
		type: 'string',
		default: '={{ $json.time }}',
		displayOptions: show,
	},
	{
		displayName: 'Error Code',
		name: 'errorCode',
		type: 'string',
		default: '={{ $json.errors?.[0]?.code ?? "" }}',
		displayOptions: show,
		description: "Meta's error code of a failed status",
	},
];

function parseTime(value: unknown): Date {
	if (value === undefined || value === null || value === '') return new Date();
	const text = String(value).trim();
	const date = /^\d+$/.test(text)
		? new Date(Number(text) * (text.length <= 10 ? 1000 : 1))
		: new Date(text);
	if (Number.isNaN(date.getTime()))
		throw new InputError(`The time "${text}" is not a date: map the trigger's \`time\` field`);
	return date;
}

/** Applies the trigger's status items to the ledger: idempotent, and a late `delivered` never undoes `read`. */
export async function execute(
	this: IExecuteFunctions,
	context: BroadcastContext,
): Promise<NodeOutputs> {
	return mapEachItem(this, async (i) => {
		const sealed = String(this.getNodeParameter('messageId', i, '') ?? '').trim();
		if (!sealed)
			throw new InputError("The message ID is empty: connect the trigger's statuses output");
		const status = String(this.getNodeParameter('status', i, '') ?? '').trim();
		if (!STATUSES.has(status))
			throw new InputError(
				`The status "${status}" is not one of sent, delivered, read, failed, played`,
			);
		const code = String(this.getNodeParameter('errorCode', i, '') ?? '').trim();
		const update: StatusUpdate = {
			messageId: openMessageId(context.keys, sealed),
			status: status as StatusUpdate['status'],
			at: parseTime(this.getNodeParameter('time', i, '')),
			...(/^\d+$/.test(code) ? { errorCode: Number(code) } : {}),
		};
		const result = await context.store.recordStatus(update);
		return {
			status,
			result,
			...(update.errorCode !== undefined ? { errorCode: update.errorCode } : {}),
		};
	});
}
