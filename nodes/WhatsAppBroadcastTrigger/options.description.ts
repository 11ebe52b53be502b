import type { INodeProperties } from 'n8n-workflow';

import { MESSAGE_TYPES, STATUS_VALUES } from '../core/webhook';

const typeLabel = (value: string) => value.charAt(0).toUpperCase() + value.slice(1);

/** The trigger's options; read back by `readTriggerOptions`. */
export const triggerOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Deduplication Storage',
			name: 'dedupeStorage',
			type: 'options',
			options: [
				{
					name: 'Consent Store Database',
					value: 'consentStore',
					description:
						'Processed IDs are kept for 7 days in the consent store database; survives restarts and works with several workers (PostgreSQL)',
				},
				{
					name: 'Workflow Static Data',
					value: 'staticData',
					description:
						'Processed IDs are kept in the workflow itself, up to a maximum number; no database writes, but one n8n process only and older duplicates are missed once the limit is reached',
				},
			],
			default: 'consentStore',
		},
		{
			displayName: 'Ignore Messages Older Than (Minutes)',
			name: 'maxAgeMinutes',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 1440,
			description:
				'Meta retries undelivered webhooks for up to 7 days; older messages and preference updates are dropped. 0 keeps everything.',
		},
		{
			displayName: 'Keep Profile Name',
			name: 'keepProfileName',
			type: 'boolean',
			default: false,
			description:
				'Whether to emit the WhatsApp profile name the sender chose. Off by default (data minimisation).',
		},
		{
			displayName: 'Maximum Remembered IDs',
			name: 'staticDataMaxEntries',
			type: 'number',
			typeOptions: { minValue: 100 },
			default: 5000,
			description: 'How many processed IDs the workflow static data keeps (oldest dropped first)',
			displayOptions: { show: { dedupeStorage: ['staticData'] } },
		},
		{
			displayName: 'Message Types',
			name: 'messageTypes',
			type: 'multiOptions',
			options: [
				...MESSAGE_TYPES.map((value) => ({ name: typeLabel(value), value })),
				{ name: 'Marketing Preference (Stop/Resume)', value: 'preference' },
			],
			default: [],
			description: 'Which messages to emit; none selected emits all',
		},
		{
			displayName: 'Only This Phone Number',
			name: 'onlyOwnNumber',
			type: 'boolean',
			default: true,
			description:
				'Whether to ignore events for other phone numbers of the same WhatsApp Business Account (the credential’s phone number ID decides)',
		},
		{
			displayName: 'Statuses',
			name: 'statuses',
			type: 'multiOptions',
			options: STATUS_VALUES.map((value) => ({ name: typeLabel(value), value })),
			default: [],
			description: 'Which delivery statuses to emit; none selected emits all',
		},
	],
};
