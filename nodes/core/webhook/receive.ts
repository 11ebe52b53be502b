import { CivicBroadcastError } from '../errors';
import { derivePrivacyKeys, type PrivacyKeys } from '../privacy/keys';
import type { ConsentStore } from '../store/types';
import {
	claimInRecord,
	dropDuplicates,
	eventRef,
	SEVEN_DAYS_MS,
	type EventKeyClaimer,
	type SeenRecord,
} from './dedupe';
import { parseEvents } from './parse-events';
import { selectEvents, type EventFilter } from './select-events';
import { toItems, type Items } from './to-items';

/** Where processed events are remembered, so a redelivered one starts no second execution. */
export type DedupeStorage =
	/** The consent store: shared by all workers, 7-day horizon, keys stored as keyed hashes. */
	| { kind: 'store'; open(): Promise<Pick<ConsentStore, 'claimEventKeys'>> }
	/**
	 * A record n8n keeps with the workflow (static data): keyed hashes, at most `maxEntries`. It is
	 * asked for only when an event passed the filters.
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

const DAY_MS = 86_400_000;

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
		const claimer = await claimerFor(settings.dedupe, keys);
		const { fresh, duplicates } = await dropDuplicates(selection.kept, claimer, settings.now);
		const items = toItems(fresh, keys, { keepProfileName: settings.keepProfileName });
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
		// Only our own (vetted) messages are passed on; anything else is named by type only.
		const reason = error instanceof CivicBroadcastError ? error.message : (error as Error)?.name;
		return { kind: 'failed', counts, reason: String(reason) };
	}
}

async function claimerFor(storage: DedupeStorage, keys: PrivacyKeys): Promise<EventKeyClaimer> {
	if (storage.kind === 'store') {
		const store = await storage.open();
		return {
			claim: async (eventKeys, now) =>
				store.claimEventKeys(eventKeys, { now, horizonDays: SEVEN_DAYS_MS / DAY_MS }),
		};
	}
	return {
		claim: async (eventKeys, now) => {
			const refs = eventKeys.map((key) => eventRef(keys, key));
			const fresh = new Set(
				claimInRecord(storage.record(), refs, now.getTime(), { maxEntries: storage.maxEntries }),
			);
			return eventKeys.filter((_, index) => fresh.has(refs[index]));
		},
	};
}
