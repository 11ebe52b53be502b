/**
 * Why this file is long: it is the store's whole contract in domain terms (consent, message order
 * and inbox, ledger), one place for both backends and every caller.
 *
 * The store's public contract, in domain terms only. Two backends implement it
 * (SQLite through node:sqlite, PostgreSQL through pg); one contract suite tests both.
 * Phone numbers and user IDs enter and leave as plaintext here and nowhere is that
 * plaintext persisted: backends store AES-256-GCM ciphertext plus a keyed blind index.
 */

import type { Language } from '../language';

export type { Language };
export type ConsentSource = 'whatsapp' | 'manual' | 'import';

/** Who a person is on WhatsApp. At least one field is set. */
export interface Identity {
	/** E.164 without `+` (WhatsApp's `wa_id` form), e.g. `4915112345678`. */
	phone?: string;
	/** WhatsApp business-scoped user ID. */
	userId?: string;
}

export interface Subscriber {
	id: number;
	pseudonym: string;
	language: Language;
	consentAt: Date;
	consentSource: ConsentSource;
	/** Keyword or button that expressed consent (`start`, `anmelden`, …); null for imports without one. */
	consentKeyword: string | null;
	/** Inbound WhatsApp message ID that carried the consent (proof under Art. 7(1)). */
	consentMessageId: string | null;
	consentTextVersion: string;
	hasPhone: boolean;
	hasUserId: boolean;
}

export interface SubscribeInput {
	identity: Identity;
	language: Language;
	source: ConsentSource;
	keyword?: string;
	messageId?: string;
	textVersion: string;
	at?: Date;
	/** Keep an existing name (import of `Gast_0001`-style contacts); otherwise the next from the counter. */
	pseudonym?: string;
}

export type SubscribeResult =
	| { status: 'created'; subscriber: Subscriber }
	| { status: 'existing'; subscriber: Subscriber };

export interface UnsubscribeInput {
	source: ConsentSource;
	keyword?: string;
	messageId?: string;
	at?: Date;
}

export type UnsubscribeResult =
	| { status: 'deleted'; pseudonym: string; language: Language }
	| { status: 'not_found' };

/**
 * Who an announcement goes to. Recipients are always read through an audience, so a narrower one
 * (a topic, a language, an area) is one more kind here and one more condition in the store's
 * query (store/audience.ts), never a change to the ledger or the sender.
 */
export type Audience = { kind: 'everyone' };

export const EVERYONE: Audience = { kind: 'everyone' };

/** A subscriber ready to be sent to. Holds decrypted contact data: never put it in node output. */
export interface Recipient {
	subscriberId: number;
	pseudonym: string;
	language: Language;
	phone?: string;
	userId?: string;
}

export interface DailyCount {
	/** ISO date, UTC (`2026-11-22`). */
	day: string;
	joins: number;
	leaves: number;
}

export interface Statistics {
	subscribers: number;
	bySource: Record<ConsentSource, number>;
	byLanguage: Record<Language, number>;
	days: DailyCount[];
	/** Subscribers whose sends were undeliverable in the last `undeliverableAfter` broadcasts in a row. */
	undeliverable: number;
}

export interface AuditEvent {
	at: Date;
	pseudonym: string;
	event:
		| 'joined'
		| 'left'
		| 'imported'
		| 'info_requested'
		| 'preference_stop'
		/** Deleted by Remove Undeliverable: undeliverable in the given number of broadcasts in a row. */
		| 'removed_undeliverable';
	source: ConsentSource;
}

export interface ConsentStore {
	/** Creates or upgrades the schema; idempotent, safe to call from several workers at once. */
	migrate(): Promise<void>;
	subscribe(input: SubscribeInput): Promise<SubscribeResult>;
	/**
	 * Subscribes a list (an import) in one transaction: all entries or none. A failing entry throws
	 * `ListEntryError` with its index; a pseudonym already used by someone else is such a failure.
	 */
	subscribeMany(inputs: SubscribeInput[]): Promise<SubscribeResult[]>;
	/**
	 * Deletes the subscriber, their encrypted contact data and their delivery rows in one transaction
	 * (every row that matches the number or the user ID).
	 */
	unsubscribe(identity: Identity, input: UnsubscribeInput): Promise<UnsubscribeResult>;
	unsubscribePseudonym(pseudonym: string, input: UnsubscribeInput): Promise<UnsubscribeResult>;
	findByIdentity(identity: Identity): Promise<Subscriber | undefined>;
	findByPseudonym(pseudonym: string): Promise<Subscriber | undefined>;
	/** Decrypted contact data of one subscriber, for a reply. */
	recipientByPseudonym(pseudonym: string): Promise<Recipient | undefined>;
	/** Subscribers in the audience (everyone when not given). */
	countSubscribers(audience?: Audience): Promise<number>;
	/** `undeliverableAfter` (default 3): the streak from which a subscriber counts as undeliverable. */
	statistics(input: { days: number; now?: Date; undeliverableAfter?: number }): Promise<Statistics>;
	recordAudit(event: AuditEvent): Promise<void>;
	/**
	 * Webhook dedupe: records the keys and returns those not seen before (in input order).
	 * Keys older than the horizon (Meta retries for 7 days) are pruned.
	 */
	claimEventKeys(keys: string[], input?: { now?: Date; horizonDays?: number }): Promise<string[]>;
	close(): Promise<void>;
}

// ---- Meta-timestamp order and the durable inbox ---------------------------------------------

/** Why a citizen's Start or Stop changed nothing. */
export type NotApplied =
	/** A Start or Stop of this person with a later Meta timestamp was applied already. */
	| { status: 'stale' }
	/** Its inbox row is done: another execution applied this very message. */
	| { status: 'already_done' };

/** Where a message came from: Meta's timestamp orders it, its inbox row is closed with it. */
export interface MessageOrigin {
	/** Meta's timestamp of the message. */
	at: Date;
	/** The message's inbox row (the trigger's `inbox` field); absent for items without one. */
	inboxRef?: string;
}

/**
 * Start and Stop from WhatsApp in Meta's timestamp order: a late older message never overrides a
 * newer one. The last applied timestamp is kept per blind index (`consent_clock`); after a Stop
 * that row is the tombstone (index and time, never a number), pruned after 7 days, Meta's retry
 * horizon. On equal timestamps the Stop wins, whatever the arrival order. The inbox row is closed
 * in the same transaction, so a message emitted twice is applied once.
 */
export interface OrderedConsent {
	subscribeInOrder(
		input: SubscribeInput,
		origin: MessageOrigin,
	): Promise<SubscribeResult | NotApplied>;
	unsubscribeInOrder(
		identity: Identity,
		input: UnsubscribeInput,
		origin: MessageOrigin,
	): Promise<UnsubscribeResult | NotApplied>;
}

/** One event of a webhook delivery for `receiveEvents`: its dedupe key and, for a message, its item. */
export interface ReceivedEvent {
	/** The dedupe key (`eventKey`); the inbox row's ref is its keyed hash (`eventRef`). */
	key: string;
	/** A citizen's message: the sealed item the trigger emits, kept until it is done. */
	inbox?: { item: Record<string, unknown>; sentAt: Date };
}

/** An inbox row handed out again (`pendingInbox`). */
export interface InboxEntry {
	ref: string;
	/** The sealed item as the trigger emitted it. */
	item: Record<string, unknown>;
	sentAt: Date;
	receivedAt: Date;
	/** How many times it was handed out again, this time included. */
	attempts: number;
}

/** `done_now`: this call closed the row; `done_before`: it was closed already; `unknown`: no row. */
export type InboxMark = 'done_now' | 'done_before' | 'unknown';

/**
 * The durable inbox: every citizen message the webhook answered 200 for, encrypted (it holds the
 * message text and sealed sender), until Process Message applied it. Done rows lose their item at
 * once and are deleted after a day; open rows are deleted after 7 days.
 */
export interface InboxStore {
	/**
	 * Claims the dedupe keys and keeps the inbox items of the fresh ones, in one transaction; returns
	 * the fresh keys in input order (as `claimEventKeys`, whose horizon applies).
	 */
	receiveEvents(
		events: ReceivedEvent[],
		input?: { now?: Date; horizonDays?: number },
	): Promise<string[]>;
	/** Closes inbox rows (in input order: what each was). */
	markInboxDone(refs: string[], input?: { now?: Date }): Promise<InboxMark[]>;
	/**
	 * Open rows last handed out at least `olderThanMs` ago, oldest Meta timestamp first, at most
	 * `limit`; each is counted as handed out now, so a row is not handed out again before that
	 * time has passed once more.
	 */
	pendingInbox(input: { olderThanMs: number; limit: number; now?: Date }): Promise<InboxEntry[]>;
}

// ---- Broadcast ledger ---------------------------------------------------------------------

export type DeliveryPolicy = 'at-least-once' | 'at-most-once';

export interface BroadcastRecord {
	id: number;
	key: string;
	title: string | null;
	createdAt: Date;
	/** False when a broadcast with this key already existed (a rerun or resume). */
	created: boolean;
}

/**
 * Outcome of one send as the API answered it.
 * `accepted`: Meta queued it (wamid known). `failed`: a definite error; `errorCode` is Meta's code.
 */
export type DeliveryOutcome =
	| { subscriberId: number; state: 'accepted'; messageId: string }
	| { subscriberId: number; state: 'failed'; errorCode: number; errorTitle?: string };

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

export interface StatusUpdate {
	messageId: string;
	status: DeliveryStatus | 'played';
	at: Date;
	errorCode?: number;
}

export interface BroadcastReport {
	key: string;
	title: string | null;
	createdAt: Date;
	recipients: number;
	accepted: number;
	sent: number;
	delivered: number;
	read: number;
	failed: number;
	/** Sends whose outcome a crash left unknown and the at-most-once policy gave up on. */
	unknown: number;
	failedByCode: Record<string, number>;
	/** Where the broadcast is in the queue (`done` for broadcasts sent before the queue existed). */
	state: BroadcastState;
	/** How many times a sending loop picked it up again after the first (a crash, a restart, an outage). */
	resumptions: number;
}

export interface DeliveryLedger {
	/** Opens the broadcast with this idempotency key, creating it on first use. */
	openBroadcast(input: { key: string; title?: string; at?: Date }): Promise<BroadcastRecord>;
	/**
	 * Keyset page of the audience's subscribers with `id > after` who have no delivery row for
	 * this broadcast, ordered by id. Memory stays flat however long the list is.
	 */
	pendingRecipients(
		broadcastId: number,
		page: { audience: Audience; after: number; limit: number },
	): Promise<Recipient[]>;
	/** Writes `sending` rows (intent) before the requests go out. */
	markSending(broadcastId: number, subscriberIds: number[]): Promise<void>;
	/**
	 * Deletes `sending` rows of sends that certainly did not happen (stopped before the request, or
	 * refused by the API with a temporary error until retries ran out): a rerun sends them again.
	 */
	releaseSending(broadcastId: number, subscriberIds: number[]): Promise<void>;
	/** Turns `sending` rows into `accepted` / `failed`, in one transaction for the batch. */
	recordOutcomes(broadcastId: number, outcomes: DeliveryOutcome[]): Promise<void>;
	/**
	 * Settles rows a crash left in `sending`: at-least-once deletes them (they are sent again),
	 * at-most-once marks them `unknown` (never sent again). Returns how many were settled.
	 */
	recoverInterrupted(broadcastId: number, policy: DeliveryPolicy): Promise<number>;
	/**
	 * Takes (or renews) the sending lease of a broadcast until `until`; false while another owner
	 * holds an unexpired lease. A crashed owner's lease simply runs out.
	 */
	claimBroadcast(broadcastId: number, owner: string, until: Date): Promise<boolean>;
	/** Gives the lease up if `owner` holds it. */
	releaseBroadcast(broadcastId: number, owner: string): Promise<void>;
	/** Applies a status webhook; idempotent and order-safe (`read` implies `delivered`; no step back). */
	recordStatus(update: StatusUpdate): Promise<'updated' | 'unchanged' | 'unknown_message'>;
	broadcastReport(key: string): Promise<BroadcastReport | undefined>;
	listBroadcasts(input: { limit: number }): Promise<BroadcastReport[]>;
}

// ---- Broadcast queue ----------------------------------------------------------------------

/**
 * `queued`: waiting or being sent (also after a crash: a resume continues it). `done`: everyone in
 * the audience was tried. `aborted`: every further send would fail the same way; needs a person.
 * `cancelled`: staff stopped it; nothing resumes it.
 */
export type BroadcastState = 'queued' | 'done' | 'aborted' | 'cancelled';

/** How one broadcast is sent, chosen by whoever posted it; the number's loop applies it. */
export interface QueuedSettings {
	policy: DeliveryPolicy;
	/** At most this many messages per second for this broadcast (below the number's rate); none = the number's. */
	rate?: number;
}

/** A broadcast as the queue holds it. `message` is the channel-neutral message spec, as JSON. */
export interface QueuedBroadcast {
	id: number;
	key: string;
	title: string | null;
	/** The sending number (WhatsApp phone number ID): one sending loop per sender at a time. */
	sender: string;
	message: unknown;
	audience: Audience;
	/** Higher first; equal priorities in the order they were posted. */
	priority: number;
	settings: QueuedSettings;
	state: BroadcastState;
	createdAt: Date;
	/** Sending loops that picked it up so far. */
	runs: number;
	abortReason: string | null;
}

export interface EnqueueInput {
	key: string;
	title?: string;
	sender: string;
	message: unknown;
	audience: Audience;
	priority: number;
	settings: QueuedSettings;
	at?: Date;
}

export interface EnqueueResult {
	broadcast: QueuedBroadcast;
	/** A new key. */
	created: boolean;
	/** A finished broadcast of this key was queued again (a rerun: it reaches only those not yet sent). */
	requeued: boolean;
}

export interface BroadcastQueue {
	/**
	 * Records the broadcast before its first send. A key already queued stays as it is (posting the
	 * same announcement twice sends it once); a finished one is queued again. A rerun keeps the
	 * message and audience it was first posted with.
	 */
	enqueueBroadcast(input: EnqueueInput): Promise<EnqueueResult>;
	queuedBroadcast(id: number): Promise<QueuedBroadcast | undefined>;
	/** What the sender's loop sends next: the highest priority, then the oldest. */
	nextQueued(sender: string): Promise<QueuedBroadcast | undefined>;
	/** Queued broadcasts of the sender above this priority (an urgent one waiting behind a running one). */
	countQueuedAbove(sender: string, priority: number): Promise<number>;
	/** A loop picked it up: counts the run and returns how many runs it has had. */
	startRun(id: number): Promise<number>;
	/** Leaves the queue; a broadcast already finished keeps its first outcome. */
	finishBroadcast(
		id: number,
		outcome: { state: 'done' | 'cancelled' } | { state: 'aborted'; reason: string },
	): Promise<void>;
	/**
	 * Takes (or renews) the sending lease of a number until `until`; false while another owner holds
	 * an unexpired lease. A dead owner's lease runs out.
	 */
	claimSender(sender: string, owner: string, until: Date): Promise<boolean>;
	releaseSender(sender: string, owner: string): Promise<void>;
	/**
	 * Counts one reply in the number's current second (`second` = Unix time in whole seconds);
	 * false when `limit` replies went out in that second already, from any process.
	 */
	takeReplySlot(sender: string, second: number, limit: number): Promise<boolean>;
}

/** What both backends provide. */
export type Store = ConsentStore &
	OrderedConsent &
	InboxStore &
	DeliveryLedger &
	BroadcastQueue &
	UndeliverableStore &
	StaffLimitStore;

// ---- Data minimisation: repeatedly undeliverable subscribers ---------------------------------

export interface UndeliverableStore {
	/**
	 * Deletes, like a Stop, every subscriber whose sends were undeliverable (WhatsApp 131026) in at
	 * least `after` consecutive broadcasts, with an audit entry `removed_undeliverable` each; returns
	 * their pseudonyms. One transaction.
	 */
	removeUndeliverable(input: {
		after: number;
		source?: ConsentSource;
		at?: Date;
	}): Promise<{ removed: string[] }>;
}

// ---- Messages forwarded to staff, limited per person -----------------------------------------

export type StaffAdmission = 'forwarded' | 'held';

/** What staff are told once an hour: counts only, never who. */
export interface HeldBackSummary {
	messages: number;
	people: number;
	/** From the first message held back since the last summary, to now. */
	since: Date;
	until: Date;
}

/**
 * At most `limit` messages an hour per person reach staff (issue 12, point 6). Counted per blind
 * index, never a number; a person's hour starts with their first forwarded message; rows are
 * pruned once their hour is over and their held-back messages were summarised.
 */
export interface StaffLimitStore {
	admitToStaff(identity: Identity, input: { limit: number; now?: Date }): Promise<StaffAdmission>;
	/**
	 * The summary of messages held back, once an hour after the first of them, claimed by one caller
	 * only (several workers may ask); undefined when none is due.
	 */
	takeHeldBackSummary(input?: { now?: Date }): Promise<HeldBackSummary | undefined>;
}
