import { CloudApiError, SKIP_REASONS, type MessageSender } from '../cloud-api';
import type { ClientMessage } from '../cloud-api/wire-types';
import { InputError } from '../errors';
import type { ConsentStore, DeliveryLedger, DeliveryOutcome, Recipient } from '../store/types';
import { backoffDelay, pairRateDelay } from './backoff';
import { GroupCommit } from './group-commit';
import { prepareMessage, type MessageSpec } from './message';
import { resolveSendOptions, type ResolvedSendOptions, type SendOptions } from './options';
import { TokenBucket } from './token-bucket';

export type BroadcastStore = DeliveryLedger & Pick<ConsentStore, 'countSubscribers'>;

export interface BroadcastRequest {
	key: string;
	title?: string;
	message: MessageSpec;
}

/** What a run did, in counts only: never a number, never a wamid (wamids encode the number). */
export interface BroadcastSummary {
	key: string;
	title: string | null;
	/** False on the first run of this key; true on a rerun or a resume after a crash. */
	resumed: boolean;
	/** Sends a crash had left unanswered, settled by the delivery policy at the start. */
	recovered: number;
	recipients: number;
	sent: number;
	skippedAlreadySent: number;
	failed: number;
	failedByReason: Record<string, number>;
	/** Recipients not tried because the run stopped or aborted; a rerun sends to them. */
	notSent: number;
	aborted: boolean;
	abortReason: string | null;
	stopped: boolean;
	durationMs: number;
	messagesPerSecond: number;
}

/**
 * Sends one announcement to every subscriber not yet sent for its key (STYLE.md §5): page from the
 * store cursor → write intent → take a token → send → record the answer. A send holds its in-flight
 * slot until its outcome is durable, so a crash leaves at most `maxInFlight` sends unsettled.
 */
export async function sendBroadcast(
	store: BroadcastStore,
	api: MessageSender,
	request: BroadcastRequest,
	options: SendOptions = {},
): Promise<BroadcastSummary> {
	const resolved = resolveSendOptions(options);
	const address = prepareMessage(request.message, request.key);
	if ((await store.countSubscribers()) === 0)
		throw new InputError(
			'The consent store has no subscribers: nobody to send to. Check the Consent Store credential points at the right database.',
		);
	const started = resolved.clock.now();
	const broadcast = await store.openBroadcast({ key: request.key, title: request.title });
	const recovered = await store.recoverInterrupted(broadcast.id, resolved.policy);
	const before = await store.broadcastReport(request.key);
	const run = new SendRun(store, api, broadcast.id, address, resolved);
	await run.execute();
	const durationMs = Math.max(0, resolved.clock.now() - started);
	const skippedAlreadySent = before?.recipients ?? 0;
	const failed = Object.values(run.failedByReason).reduce((a, b) => a + b, 0);
	return {
		key: broadcast.key,
		title: broadcast.title,
		resumed: !broadcast.created,
		recovered,
		recipients: skippedAlreadySent + run.sent + failed + run.notSent,
		sent: run.sent,
		skippedAlreadySent,
		failed,
		failedByReason: run.failedByReason,
		notSent: run.notSent,
		aborted: run.abortError !== undefined,
		abortReason: run.abortError?.message ?? null,
		stopped: run.stoppedByCaller,
		durationMs: Math.round(durationMs),
		messagesPerSecond: durationMs > 0 ? Math.round((run.sent / durationMs) * 1000 * 10) / 10 : 0,
	};
}

class SendRun {
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
			if (error.retryClass === 'throttle') this.bucket?.pause(delay);
			try {
				await clock.sleep(delay, this.stop.signal);
			} catch {
				return this.notSentRelease(subscriberId);
			}
		}
	}

	private async waitForToken(): Promise<boolean> {
		if (this.stop.signal.aborted) return false;
		if (!this.bucket) return true;
		try {
			await this.bucket.take(this.stop.signal);
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

	private fail(error: unknown): void {
		if (this.fatal === undefined) this.fatal = error;
		this.stop.abort(error);
	}
}
