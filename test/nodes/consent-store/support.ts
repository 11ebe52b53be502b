import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
} from 'n8n-workflow';

import { ConsentStore } from '../../../nodes/ConsentStore/ConsentStore.node';
import { sealSender } from '../../../nodes/core/privacy/sealer';
import { runSingleNode, type WorkflowRun } from '../../harness';
import { testKeys } from '../../support/test-key';

export const NODE = 'Consent Store';

/** Runs one Consent Store node inside n8n's WorkflowExecute with the given items as its input. */
export function runConsentStore(
	parameters: INodeParameters,
	items: INodeExecutionData[],
	credential: ICredentialDataDecryptedObject,
	onError?: INode['onError'],
): Promise<WorkflowRun> {
	return runSingleNode(new ConsentStore(), {
		name: NODE,
		parameters,
		items,
		credentials: { consentStoreDb: credential },
		onError,
	});
}

/** A message item as the trigger emits it: the number only inside the sealed sender. */
export function messageItem(phone: string, fields: IDataObject): INodeExecutionData {
	return {
		json: {
			sender: sealSender(testKeys, { phone }),
			time: '2026-11-20T09:30:00.000Z',
			timestamp: 1763631000,
			type: 'text',
			...fields,
		},
	};
}
