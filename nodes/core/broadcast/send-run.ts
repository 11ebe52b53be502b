import { CloudApiError, SKIP_REASONS, type MessageSender } from '../cloud-api';
import type { ClientMessage } from '../cloud-api/wire-types';
import type { DeliveryOutcome, Recipient } from '../store/types';
import { backoffDelay, pairRateDelay } from './backoff';
import { GroupCommit } from './group-commit';
import type { ResolvedSendOptions } from './options';
import type { BroadcastStore } from './sender';
import { TokenBucket } from './token-bucket';

/**
 * One run of one broadcast: page from the store cursor → write intents → take a token → send →
 * record the answer. A send holds its in-flight slot until its outcome is durable, so a crash
 * leaves at most `maxInFlight` sends unsettled. The one place that decides finished / stopped / aborted.
 */
export class SendRun {
	sent = 0;
	notSent = 0;
	failedByReason: Record<string, number> = {};
	abortError: CloudApiError | undefined;
	stoppedByCaller = false;
	private fatal: unknown;
	private readonly stop = new AbortController();
	private readonly bucket: TokenBucket | undefined;
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
		private readonly api: MessageSender,
		private readonly broadcastId: number,
		private readonly address: (recipient: Recipient) => ClientMessage,
		private readonly options: ResolvedSendOptions,
	) {
		const { rate, burst, clock } = options;
		this.bucket = rate > 0 ? new TokenBucket({ rate, burst, clock }) : undefined;
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
		const launch = (recipient: Recipient) => {
			const task = this.deliver(recipient).finally(() => {
				running.delete(task);
				this.freeSlot();
			});
			running.add(task);
		};
		try {
			let after = 0;
			while (!this.stop.signal.aborted) {
				const page = await this.store.pendingRecipients(
					this.broadcastId,
					after,
					this.options.pageSize,
				);
				if (page.length === 0) break;
				after = page[page.length - 1].subscriberId;
				for (let next = 0; next < page.length && !this.stop.signal.aborted; ) {
					const chunk = await this.takeSlots(page.length - next);
					if (this.stop.signal.aborted) {
						for (let i = 0; i < chunk; i++) this.freeSlot();
						break;
					}
					const recipients = page.slice(next, next + chunk);
					next += chunk;
					// One intent write for every slot that came free: the intents never outnumber the
					// slots, so a crash leaves at most `maxInFlight` sends unsettled.
					await this.store.markSending(
						this.broadcastId,
						recipients.filter((r) => r.phone).map((r) => r.subscriberId),
					);
					recipients.forEach(launch);
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
		while (this.active >= this.options.maxInFlight) {
			await new Promise<void>((resolve) => (this.slotFreed = resolve));
		}
		const taken = Math.min(most, this.options.maxInFlight - this.active);
		this.active += taken;
		return taken;
	}

	private freeSlot(): void {
		this.active -= 1;
		const wake = this.slotFreed;
		this.slotFreed = undefined;
		wake?.();
	}

	private async deliver(recipient: Recipient): Promise<void> {
		try {
			if (!recipient.phone) {
				// Reachable only by user ID: the Cloud API send used here needs a number.
				this.count('no_phone_number');
				return;
			}
			await this.attempts(recipient.subscriberId, this.address(recipient));
		} catch (error) {
			this.fail(error);
		}
	}

	private async attempts(subscriberId: number, message: ClientMessage): Promise<void> {
		const { maxAttempts, backoff, random, clock, policy } = this.options;
		for (let attempt = 1; ; attempt++) {
			if (!(await this.waitForToken())) return this.notSentRelease(subscriberId);
			const result = await this.api.send(message);
			if (result.ok) {
				this.noAnswerStreak = 0;
				this.exhaustedStreak = 0;
				await this.outcomes.add({ subscriberId, state: 'accepted', messageId: result.messageId });
				this.sent += 1;
				return;
			}
			const error = result.error;
			this.noAnswerStreak = error.httpStatus === undefined ? this.noAnswerStreak + 1 : 0;
			if (error.retryClass === 'skip') {
				await this.outcomes.add({ subscriberId, state: 'failed', errorCode: error.code ?? 0 });
				this.count(SKIP_REASONS[error.code ?? 0] ?? `error_${error.code}`);
				return;
			}
			if (error.retryClass === 'abort') {
				this.abortWith(error);
				return this.notSentRelease(subscriberId);
			}
			if (!error.certain && policy === 'at-most-once') {
				// It may have been accepted: never send again. The row stays `sending` → `unknown`.
				this.count('unknown_outcome');
				return;
			}
			if (this.noAnswerStreak >= this.options.unreachableAfter) {
				this.abortWith(
					new CloudApiError(
						`${error.message}. Gave up after ${this.noAnswerStreak} attempts in a row without an answer`,
						undefined,
						undefined,
						'abort',
						error.certain,
					),
				);
			}
			if (attempt >= maxAttempts) return this.exhausted(subscriberId, error);
			const delay =
				error.retryClass === 'pair-rate'
					? pairRateDelay(attempt, backoff)
					: backoffDelay(attempt, backoff, random);
			if (error.retryClass === 'throttle') {
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

	private async exhausted(subscriberId: number, error: CloudApiError): Promise<void> {
		// Not accepted (or, at least-once, possibly accepted and then sent again by a rerun): the row
		// goes, so the ledger claims nothing and a rerun of the same key tries this person again.
		await this.releases.add(subscriberId);
		this.count('retries_exhausted');
		this.exhaustedStreak += 1;
		if (this.exhaustedStreak >= this.options.errorBudget) {
			this.abortWith(
				new CloudApiError(
					`${error.message}. Gave up after ${this.exhaustedStreak} recipients in a row failed every attempt`,
					error.httpStatus,
					error.code,
					'abort',
					error.certain,
				),
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

	private abortWith(error: CloudApiError): void {
		if (this.abortError) return;
		this.abortError = error;
		this.stop.abort(error);
	}

	/** Stops the run; `execute` then rejects with this error once sends in flight have settled. */
	fail(error: unknown): void {
		if (this.fatal === undefined) this.fatal = error;
		this.stop.abort(error);
	}
}
