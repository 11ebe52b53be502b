import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { WhatsAppBroadcast } from '../../../nodes/WhatsAppBroadcast/WhatsAppBroadcast.node';
import { closeAllStores } from '../../../nodes/shared/store-cache';
import { runWorkflow, type WorkflowRun } from '../../harness';
import { DATA_KEY, startRig, type Rig } from '../../core/broadcast/support';

export const NODE_TYPE = 'n8n-nodes-civic-broadcast.whatsAppBroadcast';

export async function startNodeRig(): Promise<Rig> {
	return startRig();
}

export async function stopNodeRig(rig: Rig | undefined): Promise<void> {
	await closeAllStores();
	await rig?.close();
}

/** Runs the node as the only step of a workflow in n8n's real engine. */
export function runNode(
	rig: Rig,
	parameters: IDataObject,
	items: IDataObject[],
	extra: { continueOnFail?: boolean; api?: IDataObject } = {},
): Promise<WorkflowRun> {
	const startData: INodeExecutionData[][] = [items.map((json) => ({ json }))];
	return runWorkflow(
		{
			nodes: [
				{
					id: '1',
					name: 'Broadcast',
					type: NODE_TYPE,
					typeVersion: 1,
					position: [0, 0],
					parameters: parameters as INodeParameters,
					credentials: {
						whatsAppBroadcastApi: { id: 'a', name: 'api' },
						consentStoreDb: { id: 'b', name: 'db' },
					},
					...(extra.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
				},
			],
			connections: {},
		},
		{
			nodeTypes: { [NODE_TYPE]: new WhatsAppBroadcast() },
			credentials: {
				whatsAppBroadcastApi: {
					accessToken: rig.sim.config.accessToken,
					phoneNumberId: rig.sim.config.phoneNumberId,
					wabaId: rig.sim.config.wabaId,
					graphApiVersion: 'v24.0',
					baseUrl: rig.sim.baseUrl,
					...extra.api,
				},
				consentStoreDb: { backend: 'sqlite', sqlitePath: rig.dbPath, dataProtectionKey: DATA_KEY },
			},
			startData,
		},
	);
}
