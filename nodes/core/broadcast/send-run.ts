import { EVERYONE, type Audience, type DeliveryOutcome, type Recipient } from '../store/types';
import { retryDelay } from './backoff';
import {
	isUnreachable,
	type Channel,
	type PreparedMessage,
	type RetryOutcome,
	type SendOutcome,
} from './channel';
import { GroupCommit } from './group-commit';
import { InFlightLimit } from './in-flight';
import type { ResolvedSendOptions } from './options';
import type { BroadcastStore } from './request';
import { TokenBucket } from './token-bucket';

/**
 * The number's pace, shared by every broadcast its sending loop runs one after the other (the
 * queue, queue.ts); a lone `sendBroadcast` makes its own from the options.
 */
export interface Pacing {
	bucket: TokenBucket | undefined;
	inFlight: InFlightLimit;
	/** Asked between pages: true when a broadcast of higher priority waits (this one stops and stays queued). */
	shouldYield?: () => Promise<boolean>;
}

export function pacingFor(options: ResolvedSendOptions): Pacing {
	const { rate, burst, clock } = options;
	return {
		bucket: rate > 0 ? new TokenBucket({ rate, burst, clock }) : undefined,
		inFlight: new InFlightLimit(rate, { fixed: options.maxInFlight }),
	};
}

/**
 * One run of one broadcast: page from the store cursor → write intents → take a token → send →
 * record the answer. A send holds its in-flight slot until its outcome is durable, so a crash
 * leaves at most the in-flight limit of sends unsettled. The one place that decides finished /
 * stopped / yielded / aborted.
 */
export class SendRun<Message> {
	sent = 0;
	notSent = 0;
	/** Sends resent although the first try may have arrived (at-least-once, outcome unknown). */
	possibleDuplicates = 0;
	/** The highest in-flight limit this run used: the bound on duplicates (or misses) after a crash. */
	peakInFlight = 0;
	/** Stopped between pages for a broadcast of higher priority; it stays queued. */
	yielded = false;
	failedByReason: Record<string, number> = {};
	/** Why the run stopped itself (every further send would fail), in words for staff. */
	abortReason: string | undefined;
	stoppedByCaller = false;
	private fatal: unknown;
	private readonly stop = new AbortController();
	private readonly bucket: TokenBucket | undefined;
	private readonly inFlight: InFlightLimit;
	private readonly outcomes: GroupCommit<DeliveryOutcome>;
	private readonly releases: GroupCommit<number>;
	private active = 0;
	private slotFreed: (() => void) | undefined;
	private noAnswerStreak = 0;
	private exhaustedStreak = 0;
	/** After a throughput error (130429) nobody sends before this time, with or without a rate limit. */
	private pausedUntil = 0;

	constructor(
		private readonly store: BroadcastStore,
		private readonly channel: Channel<Message>,
		private readonly broadcastId: number,
		private readonly message: PreparedMessage<Message, unknown>,
		private readonly options: ResolvedSendOptions,
		private readonly audience: Audience = EVERYONE,
		private readonly pacing: Pacing = pacingFor(options),
	) {
		this.bucket = pacing.bucket;
		this.inFlight = pacing.inFlight;
		this.outcomes = new GroupCommit((list) => store.recordOutcomes(broadcastId, list));
		this.releases = new GroupCommit((ids) => store.releaseSending(broadcastId, ids));
	}

	async execute(): Promise<void> {
		const { signal } = this.options;
		const onStop = () => {
			this.stoppedByCaller = true;
			this.stop.abort(new Error('stopped'));
		};
		if (signal?.aborted) onStop();
		signal?.addEventListener('abort', onStop, { once: true });
		const running = new Set<Promise<void>>();
		const launch = ({ subscriberId, message }: { subscriberId: number; message: Message }) => {
			const task = this.deliver(subscriberId, message).finally(() => {
				running.delete(task);
				this.freeSlot();
			});
			running.add(task);
		};
		try {
			let after = 0;
			while (!this.stop.signal.aborted) {
				const page = await this.store.pendingRecipients(this.broadcastId, {
					audience: this.audience,
					after,
					limit: this.options.pageSize,
				});
				if (page.length === 0) break;
				if (after > 0 && (await this.pacing.shouldYield?.())) {
					this.yielded = true;
					break;
				}
				after = page[page.length - 1].subscriberId;
				for (let next = 0; next < page.length && !this.stop.signal.aborted; ) {
					const chunk = await this.takeSlots(page.length - next);
					if (this.stop.signal.aborted) {
						for (let i = 0; i < chunk; i++) this.freeSlot();
						break;
					}
					const sends = this.addressed(page.slice(next, next + chunk));
					next += chunk;
					// One intent write for every slot that came free: the intents never outnumber the
					// slots, so a crash leaves at most `maxInFlight` sends unsettled.
					await this.store.markSending(
						this.broadcastId,
						sends.map((send) => send.subscriberId),
					);
					sends.forEach(launch);
				}
			}
		} catch (error) {
			this.fail(error);
		} finally {
			signal?.removeEventListener('abort', onStop);
			await Promise.all(running);
		}
		if (this.fatal === undefined) {
			// Whatever is still `sending` had an unknown outcome: the policy decides (resend or not).
			await this.store.recoverInterrupted(this.broadcastId, this.options.policy);
		}
		if (this.fatal !== undefined) throw this.fatal;
	}

	/** Waits for at least one free slot, then takes every free one (up to `most`); returns how many. */
	private async takeSlots(most: number): Promise<number> {
		while (this.active >= this.inFlight.current) {
			await new Promise<void>((resolve) => (this.slotFreed = resolve));
		}
		const taken = Math.min(most, this.inFlight.current - this.active);
		this.active += taken;
		this.peakInFlight = Math.max(this.peakInFlight, this.active);
		return taken;
	}

	private freeSlot(): void {
		this.active -= 1;
		const wake = this.slotFreed;
		this.slotFreed = undefined;
		wake?.();
	}

	/**
	 * The page's recipients with their messages. Those the channel cannot reach (no number for a
	 * number-only send) are counted, get no intent row, and give their slot back at once.
	 */
	private addressed(recipients: Recipient[]): Array<{ subscriberId: number; message: Message }> {
		const sends: Array<{ subscriberId: number; message: Message }> = [];
		for (const recipient of recipients) {
			const message = this.message.address(recipient);
			if (isUnreachable(message)) {
				this.count(message.unreachable);
				this.freeSlot();
			} else sends.push({ subscriberId: recipient.subscriberId, message });
		}
		return sends;
	}

	private async deliver(subscriberId: number, message: Message): Promise<void> {
		try {
			await this.attempts(subscriberId, message);
		} catch (error) {
			this.fail(error);
		}
	}

	private async attempts(subscriberId: number, message: Message): Promise<void> {
		const { maxAttempts, backoff, random, clock, policy } = this.options;
		let uncertain = false;
		for (let attempt = 1; ; attempt++) {
			if (!(await this.waitForToken())) return this.notSentRelease(subscriberId);
			if (uncertain) this.possibleDuplicates += 1;
			const written = clock.now();
			const outcome = await this.channel.send(message);
			if (answered(outcome)) this.inFlight.observe(clock.now() - written);
			this.noAnswerStreak = answered(outcome) ? 0 : this.noAnswerStreak + 1;
			if (outcome.kind === 'accepted') {
				this.exhaustedStreak = 0;
				await this.outcomes.add({ subscriberId, state: 'accepted', messageId: outcome.messageId });
				this.sent += 1;
				return;
			}
			if (outcome.kind === 'definite') {
				await this.outcomes.add({ subscriberId, state: 'failed', errorCode: outcome.code });
				this.count(outcome.reason);
				return;
			}
			if (outcome.kind === 'abort') {
				this.abortWith(outcome.message);
				return this.notSentRelease(subscriberId);
			}
			if (outcome.kind === 'retryable' && !outcome.certain && policy === 'at-most-once') {
				// It may have been accepted: never send again. The row stays `sending` → `unknown`.
				this.count('unknown_outcome');
				return;
			}
			// At-least-once: it may have arrived; the next try may make it twice.
			uncertain = outcome.kind === 'retryable' && !outcome.certain;
			if (this.noAnswerStreak >= this.options.unreachableAfter) {
				this.abortWith(
					`${outcome.message}. Gave up after ${this.noAnswerStreak} attempts in a row without an answer`,
				);
			}
			if (attempt >= maxAttempts) return this.exhausted(subscriberId, outcome);
			const delay = retryDelay(outcome, attempt, backoff, random);
			if (outcome.kind === 'paused') {
				this.pausedUntil = Math.max(this.pausedUntil, clock.now() + delay);
				this.bucket?.pause(delay);
			}
			try {
				await clock.sleep(delay, this.stop.signal);
			} catch {
				return this.notSentRelease(subscriberId);
			}
		}
	}

	private async waitForToken(): Promise<boolean> {
		const { clock } = this.options;
		try {
			for (
				let wait = this.pausedUntil - clock.now();
				wait > 0;
				wait = this.pausedUntil - clock.now()
			)
				await clock.sleep(wait, this.stop.signal);
			if (this.stop.signal.aborted) return false;
			await this.bucket?.take(this.stop.signal);
			return true;
		} catch {
			return false;
		}
	}

	private async exhausted(subscriberId: number, outcome: RetryOutcome): Promise<void> {
		// Not accepted (or, at least-once, possibly accepted and then sent again by a rerun): the row
		// goes, so the ledger claims nothing and a rerun of the same key tries this person again.
		await this.releases.add(subscriberId);
		this.count('retries_exhausted');
		this.exhaustedStreak += 1;
		if (this.exhaustedStreak >= this.options.errorBudget) {
			this.abortWith(
				`${outcome.message}. Gave up after ${this.exhaustedStreak} recipients in a row failed every attempt`,
			);
		}
	}

	private async notSentRelease(subscriberId: number): Promise<void> {
		await this.releases.add(subscriberId);
		this.notSent += 1;
	}

	private count(reason: string): void {
		this.failedByReason[reason] = (this.failedByReason[reason] ?? 0) + 1;
	}

	private abortWith(reason: string): void {
		if (this.abortReason !== undefined) return;
		this.abortReason = reason;
		this.stop.abort(new Error(reason));
	}

	/** Stops the run; `execute` then rejects with this error once sends in flight have settled. */
	fail(error: unknown): void {
		if (this.fatal === undefined) this.fatal = error;
		this.stop.abort(error);
	}
}

/** Whether the channel answered at all: a run of unanswered sends means it cannot be reached. */
function answered(outcome: SendOutcome): boolean {
	return outcome.kind !== 'retryable' || outcome.answered;
}
