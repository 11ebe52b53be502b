import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { WhatsAppBroadcast } from '../../../nodes/WhatsAppBroadcast/WhatsAppBroadcast.node';
import { runSingleNode, type WorkflowRun } from '../../harness';
import type { Rig } from '../../core/broadcast/support';

/** A feed item as the RSS workflow hands it on: HTML and an entity in the title, a guid. */
export const FEED_ITEM = {
	title: '<b>Straßensperre</b> &amp; Umleitung\nab Montag',
	link: 'https://gemeinde.example/news/7',
	guid: 'news-7',
};

/** Runs the node as the only step of a workflow in n8n's real engine, on the rig's simulator and store. */
export function runNode(
	rig: Rig,
	parameters: IDataObject,
	items: IDataObject[],
	extra: { continueOnFail?: boolean; api?: IDataObject } = {},
): Promise<WorkflowRun> {
	return runSingleNode(new WhatsAppBroadcast(), {
		name: 'Broadcast',
		parameters: parameters as INodeParameters,
		items: items.map((json) => ({ json })),
		onError: extra.continueOnFail ? 'continueRegularOutput' : undefined,
		credentials: {
			whatsAppBroadcastApi: {
				accessToken: rig.sim.config.accessToken,
				phoneNumberId: rig.sim.config.phoneNumberId,
				wabaId: rig.sim.config.wabaId,
				graphApiVersion: 'v24.0',
				baseUrl: rig.sim.baseUrl,
				...extra.api,
			},
			consentStoreDb: rig.db.credential,
		},
	});
}
