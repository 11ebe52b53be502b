import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	broadcastKeyFor,
	PRIORITY,
	publishBroadcast,
	type MessageSpec,
} from '../../core/broadcast';
import { EVERYONE, type DeliveryPolicy } from '../../core/store';
import { mapEachItem, type NodeOutputs } from '../../shared/each-item';
import type { BroadcastContext } from './context';
import { dryRun } from './dry-run';

export { description } from './sendAnnouncement.description';

interface Options {
	policy?: DeliveryPolicy;
	dryRun?: boolean;
	maxParameterLength?: number;
	rate?: number;
	waitForCompletion?: boolean;
}

function messageFor(fn: IExecuteFunctions, i: number, options: Options): MessageSpec {
	if (fn.getNodeParameter('messageType', i) === 'text') {
		return { mode: 'text', text: fn.getNodeParameter('text', i) as string };
	}
	const parameters = fn.getNodeParameter('bodyParameters.parameter', i, []) as Array<{
		name?: string;
		value?: unknown;
	}>;
	const header = fn.getNodeParameter('headerParameter', i, '') as string;
	return {
		mode: 'template',
		name: fn.getNodeParameter('templateName', i) as string,
		language: fn.getNodeParameter('templateLanguage', i) as string,
		parameterFormat: fn.getNodeParameter('parameterFormat', i) as 'named' | 'positional',
		body: parameters.map((p) => ({ name: p.name, value: p.value })),
		...(header ? { header } : {}),
		...(fn.getNodeParameter('stopButton', i)
			? {
					stopButton: {
						index: fn.getNodeParameter('stopIndex', i) as number,
						payload: fn.getNodeParameter('stopPayload', i) as string,
					},
				}
			: {}),
		maxParameterLength: options.maxParameterLength,
	};
}

/** Each input item is one announcement; each yields one summary item (counts only, no numbers). */
export async function execute(
	this: IExecuteFunctions,
	context: BroadcastContext,
): Promise<NodeOutputs> {
	const { store } = await context.open();
	const items = this.getInputData();
	return mapEachItem(this, async (i) => {
		const options = this.getNodeParameter('options', i, {}) as Options;
		const message = messageFor(this, i, options);
		const key = broadcastKeyFor({
			explicit: this.getNodeParameter('broadcastKey', i, ''),
			item: items[i].json,
			message,
		});
		const titleValue = this.getNodeParameter('title', i, '') as unknown;
		const title =
			typeof titleValue === 'string' && titleValue.trim()
				? titleValue.trim().slice(0, 200)
				: undefined;
		// Everyone subscribed: narrower audiences (topics, areas) are a filter the store applies.
		const request = { key, title, message, audience: EVERYONE };
		if (options.dryRun) return await dryRun(this, context, request);
		const wait = options.waitForCompletion !== false;
		const signal = this.getExecutionCancelSignal?.();
		const { loop, close } = await context.senderLoop(store, {
			detached: !wait,
			signal: wait ? signal : undefined,
		});
		const outcome = await publishBroadcast(
			loop,
			{
				...request,
				priority:
					this.getNodeParameter('priority', i, 'normal') === 'urgent'
						? PRIORITY.urgent
						: PRIORITY.normal,
				policy: options.policy,
				rate: options.rate,
			},
			{
				wait,
				signal,
				onBackgroundError: (error) =>
					this.logger.error(
						`WhatsApp Broadcast: the sending loop for broadcast "${key}" stopped; the Resume Broadcasts workflow continues it`,
						{ reason: (error as Error)?.name },
					),
				onBackgroundDone: close,
			},
		);
		return outcome as unknown as IDataObject;
	});
}
