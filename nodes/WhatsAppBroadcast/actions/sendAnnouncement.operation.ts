import { type IDataObject, type IExecuteFunctions, updateDisplayOptions } from 'n8n-workflow';

import {
	broadcastKeyFor,
	DEFAULT_MAX_IN_FLIGHT,
	DEFAULT_RATE,
	sendBroadcast,
	type MessageSpec,
} from '../../core/broadcast';
import { WhatsAppChannel } from '../../core/channels/whatsapp';
import { CivicBroadcastError } from '../../core/errors';
import { EVERYONE, type DeliveryPolicy } from '../../core/store';
import { mapEachItem, type NodeOutputs } from '../../shared/each-item';
import type { BroadcastContext } from './context';
import { dryRun } from './dry-run';

const template = { show: { messageType: ['template'] } };

export const description = updateDisplayOptions({ show: { operation: ['sendAnnouncement'] } }, [
	{
		displayName: 'Broadcast Key',
		name: 'broadcastKey',
		type: 'string',
		default: '',
		description:
			"Identifies the announcement, so running it again sends only to those not yet sent. Empty: the item's guid, else its link, else a hash of the content.",
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '={{ $json.title }}',
		description: 'A label for reports (not sent)',
	},
	{
		displayName: 'Message Type',
		name: 'messageType',
		type: 'options',
		options: [
			{
				name: 'Template',
				value: 'template',
				description: 'An approved template (required outside the 24-hour window)',
			},
			{
				name: 'Text',
				value: 'text',
				description: 'Free text; only reaches people who wrote within 24 hours',
			},
		],
		default: 'template',
	},
	{
		displayName: 'Template Name',
		name: 'templateName',
		type: 'string',
		default: 'civic_announcement',
		required: true,
		displayOptions: template,
	},
	{
		displayName: 'Template Language',
		name: 'templateLanguage',
		type: 'string',
		default: 'subscriber',
		displayOptions: template,
		description:
			'A language code such as de or en_US, or "subscriber" to use each subscriber\'s language',
	},
	{
		displayName: 'Parameter Format',
		name: 'parameterFormat',
		type: 'options',
		options: [
			{ name: 'Named', value: 'named', description: 'Placeholders like {{title}}' },
			{ name: 'Positional', value: 'positional', description: 'Placeholders like {{1}}, in order' },
		],
		default: 'named',
		displayOptions: template,
	},
	{
		displayName: 'Body Parameters',
		name: 'bodyParameters',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Parameter',
		default: {
			// Template placeholder names, not display names: the civic_announcement template's {{title}} and {{link}}.
			parameter: [
				// eslint-disable-next-line n8n-nodes-base/node-param-display-name-miscased
				{ name: 'title', value: '={{ $json.title }}' },
				// eslint-disable-next-line n8n-nodes-base/node-param-display-name-miscased
				{ name: 'link', value: '={{ $json.link }}' },
			],
		},
		displayOptions: template,
		options: [
			{
				displayName: 'Parameter',
				name: 'parameter',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						description: 'Placeholder name for named templates; ignored for positional ones',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description:
							'HTML is stripped, line breaks removed, long text shortened with an ellipsis',
					},
				],
			},
		],
	},
	{
		displayName: 'Header Parameter',
		name: 'headerParameter',
		type: 'string',
		default: '',
		displayOptions: template,
		description:
			'Value for a header with one placeholder (at most 60 characters); leave empty if the header has none',
	},
	{
		displayName: 'Add Stop Button Payload',
		name: 'stopButton',
		type: 'boolean',
		default: true,
		displayOptions: template,
		description:
			"Whether the template's quick-reply button carries a payload that unsubscribes when tapped",
	},
	{
		displayName: 'Stop Button Payload',
		name: 'stopPayload',
		type: 'string',
		default: 'STOP',
		displayOptions: {
			show: { messageType: ['template'], stopButton: [true] },
		},
	},
	{
		displayName: 'Stop Button Index',
		name: 'stopIndex',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0, maxValue: 9 },
		displayOptions: {
			show: { messageType: ['template'], stopButton: [true] },
		},
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		displayOptions: { show: { messageType: ['text'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Delivery After a Crash',
				name: 'policy',
				type: 'options',
				options: [
					{
						name: 'At Least Once',
						value: 'at-least-once',
						description: 'Resend sends whose answer was lost (a few may get it twice)',
					},
					{
						name: 'At Most Once',
						value: 'at-most-once',
						description: 'Never resend them (a few may miss it)',
					},
				],
				default: 'at-least-once',
			},
			{
				displayName: 'Dry Run',
				name: 'dryRun',
				type: 'boolean',
				default: false,
				description:
					'Whether to only count recipients and show the first message as the citizen reads it (Rendered Text), sending nothing',
			},
			{
				displayName: 'Max Parameter Length',
				name: 'maxParameterLength',
				type: 'number',
				default: 400,
				typeOptions: { minValue: 10, maxValue: 1024 },
				description: 'Longer body parameters are shortened with an ellipsis',
			},
			{
				displayName: 'Messages per Second',
				name: 'rate',
				type: 'number',
				default: DEFAULT_RATE,
				typeOptions: { minValue: 1, maxValue: 1000 },
				description:
					"Stay below the number's limit (80 by default), which replies to citizens share",
			},
			{
				displayName: 'Requests in Flight',
				name: 'maxInFlight',
				type: 'number',
				default: DEFAULT_MAX_IN_FLIGHT,
				typeOptions: { minValue: 1, maxValue: 256 },
				description:
					'Requests waiting for an answer at once; also the most duplicates or misses a crash can cause',
			},
		],
	},
]);

interface Options {
	policy?: DeliveryPolicy;
	dryRun?: boolean;
	maxParameterLength?: number;
	rate?: number;
	maxInFlight?: number;
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
		const summary = await sendBroadcast(store, new WhatsAppChannel(await context.api()), request, {
			rate: options.rate,
			maxInFlight: options.maxInFlight,
			policy: options.policy,
			signal: this.getExecutionCancelSignal?.(),
		});
		if (summary.aborted) {
			// Every further send would fail the same way: that needs a person, so it is an error.
			throw new BroadcastAborted(
				`Broadcast "${summary.key}" aborted after ${summary.sent} sent: ${summary.abortReason}. Running it again with the same key sends only to those not yet sent.`,
			);
		}
		return summary as unknown as IDataObject;
	});
}

class BroadcastAborted extends CivicBroadcastError {}
