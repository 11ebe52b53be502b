import { CivicBroadcastError, ConfigError } from '../errors';
import type {
	BroadcastQueue,
	DeliveryPolicy,
	EnqueueResult,
	QueuedBroadcast,
} from '../store/types';
import type { Channel } from './channel';
import { systemClock } from './clock';
import { InFlightLimit } from './in-flight';
import { BroadcastBusyError, Lease } from './lease';
import type { MessageSpec } from './message-spec';
import { resolveSendOptions, type SendOptions } from './options';
import type { BroadcastRequest, BroadcastStore } from './request';
import { requireSubscribers, runBroadcast, type BroadcastSummary } from './sender';
import type { Pacing } from './send-run';
import { TokenBucket } from './token-bucket';

export type QueueStore = BroadcastStore & BroadcastQueue;

/** Priorities staff choose; warnings of the highest severity are urgent. */
export const PRIORITY = { normal: 0, urgent: 10 } as const;

/** One sending number: everything sent from it shares its rate (Meta's cap is per number). */
export interface NumberSettings {
	/** The WhatsApp phone number ID. */
	sender: string;
	/** The number's messages per second, replies included; 0 = unpaced (tests, benchmarks). */
	rate: number;
	/** The share of `rate` kept free for replies (0 to 0.5). */
	replyShare: number;
	/** A fixed in-flight limit; default: it follows the observed latency (in-flight.ts). */
	maxInFlight?: number;
}

/** Options of a sending loop: retries, backoff, clock; pace and policy come from the number and the broadcast. */
export type LoopOptions = Omit<SendOptions, 'rate' | 'burst' | 'maxInFlight' | 'policy'> & {
	/** How long the number's lease lasts without renewal; after a crash another loop takes over then. */
	senderLeaseMs?: number;
};

/** 30 s: renewed every 10 s; after a crash a resume can take over half a minute later. */
export const SENDER_LEASE_MS = 30_000;

export interface PublishRequest extends BroadcastRequest {
	priority?: number;
	policy?: DeliveryPolicy;
	/** At most this rate for this broadcast (messages per second), below the number's. */
	rate?: number;
}

/**
 * The broadcast rate that keeps the number within its budget in every one-second window: a token
 * bucket lets `burst + rate × t` through in any window of t seconds, so the bucket's own rate is the
 * budget less its burst. The reply share is left free.
 */
export function broadcastPace(number: NumberSettings): { rate: number; burst: number } {
	if (!(number.replyShare >= 0 && number.replyShare <= 0.5))
		throw new ConfigError(
			`The share kept for replies must be from 0 to 50 % (got ${Math.round(number.replyShare * 100)} %)`,
		);
	if (number.rate <= 0) return { rate: 0, burst: 1 };
	const budget = number.rate * (1 - number.replyShare);
	// At least 2 from 30/s: a sleeping sender wakes a little late (timers, a busy machine), and with
	// a burst of 1 the time past the first token is lost each time (73 of 79/s at 80). A second token
	// banks it; it costs 1/budget of the rate, less than the lateness costs from about 30/s.
	const burst = Math.max(budget >= 30 ? 2 : 1, Math.ceil(budget / 100));
	if (budget - burst <= 0)
		throw new ConfigError(
			`${number.rate} messages per second leave nothing for announcements after the share kept for replies: raise the rate`,
		);
	return { rate: budget - burst, burst };
}

/**
 * Records the announcement in the queue before anything is sent: from here on it outlives the
 * execution that posted it. The message is checked first (a setting to fix fails the node and
 * records nothing).
 */
export async function enqueueBroadcast(
	store: QueueStore,
	channel: Channel<unknown>,
	sender: string,
	request: PublishRequest,
): Promise<EnqueueResult> {
	if (!sender)
		throw new ConfigError(
			'The Phone Number ID is empty: set it in the WhatsApp Broadcast API credential',
		);
	channel.prepare(request.message, request.key);
	const audience = request.audience ?? { kind: 'everyone' };
	await requireSubscribers(store, audience);
	return store.enqueueBroadcast({
		key: request.key,
		title: request.title,
		sender,
		message: request.message,
		audience,
		priority: request.priority ?? PRIORITY.normal,
		settings: {
			policy: request.policy ?? 'at-least-once',
			...(request.rate ? { rate: request.rate } : {}),
		},
	});
}

export interface DrainResult {
	/** `busy`: another loop holds the number (it sends what is queued). */
	status: 'drained' | 'busy' | 'stopped';
	/** The runs of this loop, in order. */
	runs: BroadcastSummary[];
}

/**
 * The one sending loop of a number: it takes the number's lease and sends queued broadcasts, the
 * highest priority first, then in the order they were posted, at the number's pace. Every
 * broadcast of the number goes through a loop like this, in whatever execution, process or
 * worker holds the lease; the others wait or return.
 */
export class SenderLoop<Message> {
	private readonly options: ReturnType<typeof resolveSendOptions>;
	private readonly pace: { rate: number; burst: number };

	constructor(
		readonly store: QueueStore,
		readonly channel: Channel<Message>,
		readonly number: NumberSettings,
		private readonly loopOptions: LoopOptions = {},
	) {
		this.pace = broadcastPace(number);
		// The broadcast's own lease lasts half as long as the number's, so after a dead loop it has
		// always run out by the time the number's has, whenever each was last renewed (separate
		// timers). A live loop loses nothing by it: its owner may renew an expired lease.
		this.options = resolveSendOptions({
			...loopOptions,
			rate: this.pace.rate,
			leaseMs: Math.max(1, Math.floor((loopOptions.senderLeaseMs ?? SENDER_LEASE_MS) / 2)),
		});
	}

	/**
	 * Sends until the queue of this number is empty, or until broadcast `stopAfter` has left the
	 * queue (its poster waits for it; later ones are someone else's turn).
	 */
	async drain(stopAfter?: number): Promise<DrainResult> {
		const { sender } = this.number;
		const lease = await Lease.tryTake(
			{
				claim: (owner, until) => this.store.claimSender(sender, owner, until),
				release: (owner) => this.store.releaseSender(sender, owner),
			},
			this.loopOptions.senderLeaseMs ?? SENDER_LEASE_MS,
		);
		if (!lease) return { status: 'busy', runs: [] };
		const runs: BroadcastSummary[] = [];
		const stop = new AbortController();
		try {
			const work = this.loop(runs, stopAfter, stop.signal);
			const status = await lease.hold(work, (error) => stop.abort(error));
			return { status, runs };
		} finally {
			await lease.release();
		}
	}

	private async loop(
		runs: BroadcastSummary[],
		stopAfter: number | undefined,
		leaseLost: AbortSignal,
	): Promise<DrainResult['status']> {
		const { clock } = this.options;
		// One bucket and one in-flight limit for the whole loop: the number's pace across broadcasts.
		const bucket =
			this.pace.rate > 0 ? new TokenBucket({ ...this.pace, clock, startEmpty: true }) : undefined;
		const inFlight = new InFlightLimit(this.pace.rate, { fixed: this.number.maxInFlight });
		for (;;) {
			if (leaseLost.aborted) throw leaseLost.reason;
			if (this.options.signal?.aborted) return 'stopped';
			const next = await this.store.nextQueued(this.number.sender);
			if (!next) return 'drained';
			await this.store.startRun(next.id);
			let summary: BroadcastSummary | undefined;
			try {
				summary = await this.run(next, { bucket, inFlight }, leaseLost);
			} catch (error) {
				// Its own lease is still held by a loop that died (or a direct `sendBroadcast`): someone
				// else's turn for now, not a failure; the poster or the next resume tries again.
				if (error instanceof BroadcastBusyError) return 'busy';
				throw error;
			}
			if (summary) runs.push(summary);
			if (summary?.stopped) return 'stopped';
			if (stopAfter === next.id && !summary?.yielded) return 'drained';
		}
	}

	/** One broadcast; finishes it unless it stopped or yielded (then it stays queued). */
	private async run(
		broadcast: QueuedBroadcast,
		shared: Omit<Pacing, 'shouldYield'>,
		leaseLost: AbortSignal,
	): Promise<BroadcastSummary | undefined> {
		let message;
		try {
			message = this.channel.prepare(broadcast.message as MessageSpec, broadcast.key);
		} catch (error) {
			if (!(error instanceof CivicBroadcastError)) throw error;
			// Queued by a version whose messages this one cannot render: a person must look.
			await this.store.finishBroadcast(broadcast.id, {
				state: 'aborted',
				reason: error.message,
			});
			return undefined;
		}
		const own = broadcast.settings.rate;
		const slower =
			own !== undefined && own > 0 && (this.pace.rate <= 0 || own < this.pace.rate)
				? new TokenBucket({ rate: own, clock: this.options.clock, startEmpty: true })
				: undefined;
		const signal = AbortSignal.any(
			[this.options.signal, leaseLost].filter((s): s is AbortSignal => s !== undefined),
		);
		const summary = await runBroadcast(
			this.store,
			this.channel,
			{
				id: broadcast.id,
				key: broadcast.key,
				title: broadcast.title,
				resumed: broadcast.runs > 0,
				message,
				audience: broadcast.audience,
			},
			{ ...this.options, policy: broadcast.settings.policy, signal },
			{
				bucket: slower ?? shared.bucket,
				inFlight: shared.inFlight,
				shouldYield: async () =>
					(await this.store.countQueuedAbove(this.number.sender, broadcast.priority)) > 0,
			},
		);
		if (leaseLost.aborted) throw leaseLost.reason;
		if (summary.aborted)
			await this.store.finishBroadcast(broadcast.id, {
				state: 'aborted',
				reason: summary.abortReason ?? 'aborted',
			});
		else if (!summary.stopped && !summary.yielded)
			await this.store.finishBroadcast(broadcast.id, { state: 'done' });
		return summary;
	}
}

/** Waits for a reply's turn within the share of the number's rate kept for replies. */
export interface ReplyBudget {
	take(signal?: AbortSignal): Promise<void>;
}

/**
 * The replies' share of the number, counted per second in the store, so replies from every
 * execution and worker together stay within it while a broadcast takes the rest. At least one
 * reply a second: a share of 0 % still lets confirmations out (then up to one a second above the
 * number's rate; the README says so).
 */
export function replyBudget(
	store: Pick<BroadcastQueue, 'takeReplySlot'>,
	number: NumberSettings,
	sleep: (ms: number, signal?: AbortSignal) => Promise<void> = systemClock.sleep,
): ReplyBudget {
	const perSecond = Math.max(1, Math.floor(number.rate * number.replyShare));
	return {
		async take(signal) {
			if (number.rate <= 0) return;
			for (;;) {
				const now = Date.now();
				if (await store.takeReplySlot(number.sender, Math.floor(now / 1000), perSecond)) return;
				await sleep(1000 - (now % 1000) + 1, signal);
			}
		},
	};
}
