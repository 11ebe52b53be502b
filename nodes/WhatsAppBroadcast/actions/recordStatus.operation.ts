import { updateDisplayOptions } from 'n8n-workflow';

import { recordDeliveryStatus } from '../../core/broadcast';
import { eachItemWithStore } from '../../shared/store-context';

export const description = updateDisplayOptions({ show: { operation: ['recordStatus'] } }, [
	{
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		default: '={{ $json.messageId }}',
		required: true,
		description: "The (sealed) message ID from the trigger's statuses output",
	},
	{
		displayName: 'Status',
		name: 'status',
		type: 'string',
		default: '={{ $json.status }}',
		required: true,
		description: 'Sent, delivered, read, failed or played',
	},
	{
		displayName: 'Time',
		name: 'time',
		type: 'string',
		default: '={{ $json.time }}',
	},
	{
		displayName: 'Error Code',
		name: 'errorCode',
		type: 'string',
		default: '={{ $json.errors?.[0]?.code ?? "" }}',
		description: "Meta's error code of a failed status",
	},
]);

/** Applies the trigger's status items to the ledger: idempotent, and a late `delivered` never undoes `read`. */
export const execute = eachItemWithStore(async function ({ store, keys }, i) {
	return {
		...(await recordDeliveryStatus(store, keys, {
			messageId: this.getNodeParameter('messageId', i, ''),
			status: this.getNodeParameter('status', i, ''),
			time: this.getNodeParameter('time', i, ''),
			errorCode: this.getNodeParameter('errorCode', i, ''),
		})),
	};
});
