import type { IWebhookFunctions } from 'n8n-workflow';

import type { MessageType, StatusValue } from '../../core/webhook';

export interface TriggerOptions {
	dedupeStorage: 'consentStore' | 'staticData';
	maxAgeMinutes: number;
	keepProfileName: boolean;
	staticDataMaxEntries: number;
	messageTypes: Array<MessageType | 'preference'>;
	onlyOwnNumber: boolean;
	statuses: StatusValue[];
}

export function readTriggerOptions(context: IWebhookFunctions): TriggerOptions {
	const raw = context.getNodeParameter('options', {}) as Partial<TriggerOptions>;
	return {
		dedupeStorage: raw.dedupeStorage === 'staticData' ? 'staticData' : 'consentStore',
		maxAgeMinutes: Math.max(0, Number(raw.maxAgeMinutes ?? 0) || 0),
		keepProfileName: raw.keepProfileName === true,
		staticDataMaxEntries: Math.max(100, Number(raw.staticDataMaxEntries ?? 5000) || 5000),
		messageTypes: Array.isArray(raw.messageTypes) ? raw.messageTypes : [],
		onlyOwnNumber: raw.onlyOwnNumber !== false,
		statuses: Array.isArray(raw.statuses) ? raw.statuses : [],
	};
}
