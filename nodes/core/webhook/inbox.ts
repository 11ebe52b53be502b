import type { PrivacyKeys } from '../privacy/keys';
import type { InboxStore } from '../store/types';
import { eventKey, SEVEN_DAYS_MS } from './dedupe';
import { toItem, type ItemOptions, type Items, type OutputItem } from './to-items';
import type { WebhookEvent } from './types';

const DAY_MS = 86_400_000;

/**
 * Dedupe in the consent store with the durable inbox: the events' keys are claimed and every fresh
 * citizen message is kept (sealed, encrypted at rest) in one transaction, before the trigger
 * answers 200. If n8n then fails to start the execution, the inbox still holds the message and
 * Retry Unprocessed Messages hands it out again. Statuses are deduped only: a lost status leaves a
 * delivery report one step behind, never a consent wrong.
 */
export async function keepInInbox(
	store: Pick<InboxStore, 'receiveEvents'>,
	events: readonly WebhookEvent[],
	keys: PrivacyKeys,
	options: ItemOptions,
	now: Date,
): Promise<{ items: Items; duplicates: number }> {
	// The first of repeats within one delivery speaks for them (Meta can batch a status twice).
	const byKey = new Map<string, { event: WebhookEvent; one: OutputItem }>();
	for (const event of events) {
		const key = eventKey(event);
		if (!byKey.has(key))
			byKey.set(key, { event, one: toItem(event, keys, { ...options, inboxRefs: true }) });
	}
	const fresh = new Set(
		await store.receiveEvents(
			[...byKey].map(([key, { event, one }]) => ({
				key,
				inbox:
					one.output === 'messages'
						? { item: { ...one.item }, sentAt: new Date(event.timestamp * 1000) }
						: undefined,
			})),
			{ now, horizonDays: SEVEN_DAYS_MS / DAY_MS },
		),
	);
	const items: Items = { messages: [], statuses: [] };
	for (const [key, { one }] of byKey) {
		if (!fresh.has(key)) continue;
		if (one.output === 'messages') items.messages.push(one.item);
		else items.statuses.push(one.item);
	}
	return { items, duplicates: events.length - items.messages.length - items.statuses.length };
}
