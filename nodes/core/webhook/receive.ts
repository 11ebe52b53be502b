import { CivicBroadcastError } from '../errors';
import { derivePrivacyKeys, type PrivacyKeys } from '../privacy/keys';
import type { InboxStore } from '../store/types';
import { claimInRecord, dropDuplicates, eventRef, type SeenRecord } from './dedupe';
import { keepInInbox } from './inbox';
import { parseEvents } from './parse-events';
import { selectEvents, type EventFilter } from './select-events';
import { toItems, type Items } from './to-items';
import type { WebhookEvent } from './types';

/** Where processed events are remembered, so a redelivered one starts no second execution. */
export type DedupeStorage =
	/**
	 * The consent store: shared by all workers, 7-day horizon, keys stored as keyed hashes, and
	 * the durable inbox: citizen messages are kept until Process Message applied them.
	 */
	| { kind: 'store'; open(): Promise<Pick<InboxStore, 'receiveEvents'>> }
	/**
	 * A record n8n keeps with the workflow (static data): keyed hashes, at most `maxEntries`. It is
	 * asked for only when an event passed the filters. No store, so no inbox: a message whose
	 * execution n8n fails to start is lost, as before.
	 */
	| { kind: 'record'; record(): SeenRecord; maxEntries: number };

export interface DeliverySettings extends Omit<EventFilter, 'now'> {
	/**
	 * The Consent Store credential's key: senders and message IDs are sealed with it. Asked for
	 * only when an event passed the filters.
	 */
	dataProtectionKey(): Promise<string | undefined>;
	/** Keep only events for this phone number ID (events without one are kept); empty = all. */
	ownPhoneNumberId?: string;
	/** Keep the WhatsApp profile name (off by default: data minimisation). */
	keepProfileName?: boolean;
	dedupe: DedupeStorage;
	now: Date;
}

/** Counts for the log line: never a number, never a wamid. */
export type DeliveryCounts = Record<string, number>;

export type DeliveryOutcome =
	/** Nothing passed the filters: neither the key nor the store was needed. */
	| { kind: 'nothing-selected'; counts: DeliveryCounts }
	/** Sealed items for the trigger's two outputs; both empty when every event was a duplicate. */
	| { kind: 'items'; counts: DeliveryCounts; items: Items }
	/** The key is missing or the store is down: the caller answers 500 so Meta delivers again. */
	| { kind: 'failed'; counts: DeliveryCounts; reason: string };

/**
 * A signed delivery from parsed JSON to sealed output items. The plaintext events (senders,
 * wamids) exist only inside this function; the trigger gets items and counts.
 */
export async function receiveDelivery(
	body: unknown,
	settings: DeliverySettings,
): Promise<DeliveryOutcome> {
	const parsed = parseEvents(body);
	const own = settings.ownPhoneNumberId;
	// An event without metadata is kept: better a stray item than a lost opt-out.
	const ours = own
		? parsed.events.filter((e) => e.phoneNumberId === '' || e.phoneNumberId === own)
		: parsed.events;
	const selection = selectEvents(ours, { ...settings, now: settings.now.getTime() });
	const counts: DeliveryCounts = {
		events: parsed.events.length,
		...parsed.skipped,
		otherNumber: parsed.events.length - ours.length,
		droppedByType: selection.droppedByType,
		droppedAsOld: selection.droppedAsOld,
	};
	if (selection.kept.length === 0) return { kind: 'nothing-selected', counts };
	try {
		const keys = derivePrivacyKeys(await settings.dataProtectionKey());
		const { items, duplicates } = await dedupe(selection.kept, keys, settings);
		return {
			kind: 'items',
			counts: {
				...counts,
				duplicates,
				messages: items.messages.length,
				statuses: items.statuses.length,
			},
			items,
		};
	} catch (error) {
		return { kind: 'failed', counts, reason: failureReason(error) };
	}
}

/** The fresh events as sealed items: kept in the store's inbox, or remembered in static data. */
async function dedupe(
	events: WebhookEvent[],
	keys: PrivacyKeys,
	settings: DeliverySettings,
): Promise<{ items: Items; duplicates: number }> {
	const storage = settings.dedupe;
	const options = { keepProfileName: settings.keepProfileName };
	if (storage.kind === 'store')
		return keepInInbox(await storage.open(), events, keys, options, settings.now);
	const claimer = {
		claim: async (eventKeys: string[], now: Date) => {
			const refs = eventKeys.map((key) => eventRef(keys, key));
			const fresh = new Set(
				claimInRecord(storage.record(), refs, now.getTime(), { maxEntries: storage.maxEntries }),
			);
			return eventKeys.filter((_, index) => fresh.has(refs[index]));
		},
	};
	const { fresh, duplicates } = await dropDuplicates(events, claimer, settings.now);
	return { items: toItems(fresh, keys, options), duplicates };
}

/**
 * Why a delivery could not be kept, for the log line: our own (vetted) messages as they are;
 * anything else by its type and code (SQLite's fixed error text too), which never hold a value.
 */
function failureReason(error: unknown): string {
	if (error instanceof CivicBroadcastError) return error.message;
	const { name, code, errstr } = (error ?? {}) as {
		name?: unknown;
		code?: unknown;
		errstr?: unknown;
	};
	const detail = [code, errstr].filter((part) => typeof part === 'string' && part !== '');
	return `${typeof name === 'string' ? name : 'Error'}${detail.length ? ` (${detail.join(': ')})` : ''}`;
}
