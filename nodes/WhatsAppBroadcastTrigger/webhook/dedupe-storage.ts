import type { IWebhookFunctions } from 'n8n-workflow';

import type { PrivacyKeys } from '../../core/privacy/keys';
import type { Store } from '../../core/store';
import { claimInRecord, eventRef, type EventKeyClaimer, type SeenRecord } from '../../core/webhook';
import type { TriggerOptions } from './trigger-options';

/** Dedupe in the consent store: shared by all workers, 7-day horizon, keys stored as keyed hashes. */
export function storeClaimer(store: Store): EventKeyClaimer {
	return {
		claim: async (keys, now) => store.claimEventKeys(keys, { now, horizonDays: 7 }),
	};
}

/**
 * Dedupe in the workflow's static data (saved by n8n after each production webhook call).
 * Only keyed hashes are kept (wamids are personal data), at most `maxEntries` of them.
 */
export function staticDataClaimer(
	context: IWebhookFunctions,
	keys: PrivacyKeys,
	options: TriggerOptions,
): EventKeyClaimer {
	return {
		claim: async (eventKeys, now) => {
			const staticData = context.getWorkflowStaticData('node');
			const record = (staticData.processedEvents ??= {}) as SeenRecord;
			const refs = eventKeys.map((key) => eventRef(keys, key));
			const fresh = new Set(
				claimInRecord(record, refs, now.getTime(), { maxEntries: options.staticDataMaxEntries }),
			);
			return eventKeys.filter((_, index) => fresh.has(refs[index]));
		},
	};
}
