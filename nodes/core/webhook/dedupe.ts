import type { WebhookEvent } from './types';

export { eventRef } from '../privacy/keys';

/**
 * The dedupe key of an event: a message by its wamid, a status by wamid + status (a message goes
 * through several statuses), a preference by who, what and when. Keys hold wamids, which are
 * personal data: they are only ever stored as keyed hashes (`eventRef` in the privacy module).
 */
export function eventKey(event: WebhookEvent): string {
	switch (event.kind) {
		case 'message':
			return `m:${event.messageId}`;
		case 'status':
			return `s:${event.messageId}:${event.status}`;
		case 'preference':
			return `p:${event.from ?? ''}:${event.userId ?? ''}:${event.category}:${event.value}:${event.timestamp}`;
	}
}

/** Where processed event keys are remembered. */
export interface EventKeyClaimer {
	/** Records the keys and returns those not seen before, in input order. */
	claim(keys: string[], now: Date): Promise<string[]>;
}

/** A bounded record of seen event refs (ref → ms), kept in n8n's workflow static data. */
export type SeenRecord = Record<string, number>;

export const SEVEN_DAYS_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Dedupe in a plain object (n8n workflow static data). Entries older than the horizon go first;
 * beyond `maxEntries` the oldest are evicted, so a duplicate arriving after that many newer
 * events is no longer recognised: the price of keeping the workflow record small.
 */
export function claimInRecord(
	record: SeenRecord,
	refs: string[],
	now: number,
	options: { maxEntries: number; horizonMs?: number },
): string[] {
	const horizon = now - (options.horizonMs ?? SEVEN_DAYS_MS);
	for (const [ref, at] of Object.entries(record)) {
		if (typeof at !== 'number' || at < horizon) delete record[ref];
	}
	const fresh: string[] = [];
	for (const ref of refs) {
		if (Object.prototype.hasOwnProperty.call(record, ref)) continue;
		record[ref] = now;
		fresh.push(ref);
	}
	const entries = Object.entries(record);
	if (entries.length > options.maxEntries) {
		entries.sort((a, b) => a[1] - b[1]);
		for (const [ref] of entries.slice(0, entries.length - options.maxEntries)) delete record[ref];
	}
	return fresh;
}

/**
 * Keeps the events whose keys the claimer has not seen, and also drops repeats within one
 * delivery (Meta can batch the same status twice).
 */
export async function dropDuplicates(
	events: readonly WebhookEvent[],
	claimer: EventKeyClaimer,
	now: Date,
): Promise<{ fresh: WebhookEvent[]; duplicates: number }> {
	const keys = events.map(eventKey);
	const fresh = new Set(await claimer.claim([...new Set(keys)], now));
	const kept: WebhookEvent[] = [];
	keys.forEach((key, index) => {
		if (fresh.delete(key)) kept.push(events[index]);
	});
	return { fresh: kept, duplicates: events.length - kept.length };
}
