import { updateDisplayOptions } from 'n8n-workflow';

import { DEFAULT_RATE } from '../../core/broadcast';

/** The Send Announcement parameters; `sendAnnouncement.operation.ts` reads them back. */
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
		displayName: 'Priority',
		name: 'priority',
		type: 'options',
		options: [
			{
				name: 'Normal',
				value: 'normal',
				description: 'Sent after announcements already waiting for this number',
			},
			{
				name: 'Urgent',
				value: 'urgent',
				description:
					'Sent before anything else waiting for this number; an announcement being sent pauses for it',
			},
		],
		default: 'normal',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Delivery When the Outcome Is Unknown',
				name: 'policy',
				type: 'options',
				options: [
					{
						name: 'At Least Once',
						value: 'at-least-once',
						description:
							'Send again when the answer was lost (timeout, reset connection, crash): a few may get it twice, counted as possible duplicates',
					},
					{
						name: 'At Most Once',
						value: 'at-most-once',
						description:
							'Never send again when the answer was lost: a few may miss it, counted as unknown',
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
					"At most this rate for this announcement. Without it, the number's rate from the credential (less the share kept for replies).",
			},
			{
				displayName: 'Wait for Completion',
				name: 'waitForCompletion',
				type: 'boolean',
				default: true,
				description:
					'Whether to wait until everyone was sent to and return the summary. Off: return at once with the key and "queued" (for a CMS that must not wait); the number\'s sending loop sends it, and the Resume Broadcasts workflow after a restart.',
			},
		],
	},
]);
