import { ConfigError } from '../errors';
import type { Clock } from './clock';

export interface TokenBucketOptions {
	/** Tokens added per second. */
	rate: number;
	/** Most tokens held at once (the largest burst); defaults to a tenth of a second's worth, at least 1. */
	burst?: number;
	/**
	 * Start without tokens: a sending loop that takes over a number starts empty, so its first burst
	 * cannot add to the last second of the loop before it.
	 */
	startEmpty?: boolean;
	clock: Clock;
}

/**
 * A token bucket: `take()` resolves when a send may go out. Waiters are served in order, so a
 * burst never starves anyone; `pause(ms)` empties the bucket and holds everyone back (Meta's
 * 130429 means the whole number is over its rate, not one recipient).
 */
export class TokenBucket {
	private tokens: number;
	private last: number;
	private pausedUntil = 0;
	private waiting = 0;
	private tail: Promise<void> = Promise.resolve();
	readonly rate: number;
	readonly burst: number;

	constructor(private readonly options: TokenBucketOptions) {
		const { rate } = options;
		if (!(typeof rate === 'number' && Number.isFinite(rate) && rate > 0))
			throw new ConfigError(
				`The rate must be a positive number of messages per second (got ${rate})`,
			);
		// A small default burst keeps the pace even: Meta measures throughput over short windows.
		const burst = options.burst ?? Math.max(1, Math.ceil(rate / 10));
		if (!(Number.isInteger(burst) && burst >= 1))
			throw new ConfigError(`The burst must be a whole number of at least 1 (got ${burst})`);
		this.rate = rate;
		this.burst = burst;
		this.tokens = options.startEmpty ? 0 : burst;
		this.last = options.clock.now();
	}

	/** Tokens available right now (fractional while refilling). */
	get available(): number {
		this.refill();
		return this.tokens;
	}

	/** Callers waiting for a token. */
	get pending(): number {
		return this.waiting;
	}

	/** Waits for one token; rejects when the signal aborts (the token is then not consumed). */
	take(signal?: AbortSignal): Promise<void> {
		this.waiting += 1;
		const turn = this.tail.then(() => this.acquire(signal));
		// The chain continues whatever happens to this caller: a rejected take never wedges the bucket.
		this.tail = turn.catch(() => undefined);
		return turn.finally(() => {
			this.waiting -= 1;
		});
	}

	/** Nobody gets a token for `ms`, and the bucket restarts empty: a throughput error backs everyone off. */
	pause(ms: number): void {
		this.refill();
		this.pausedUntil = Math.max(this.pausedUntil, this.options.clock.now() + ms);
		this.tokens = 0;
		// Refilling starts when the pause ends.
		this.last = Math.max(this.last, this.pausedUntil);
	}

	private async acquire(signal?: AbortSignal): Promise<void> {
		const { clock } = this.options;
		for (;;) {
			if (signal?.aborted) throw signal.reason;
			const now = clock.now();
			if (now < this.pausedUntil) {
				await clock.sleep(this.pausedUntil - now, signal);
				continue;
			}
			this.refill();
			// Refilling in floating point can stop a hair below 1, and a sleep of that hair's length
			// does not move a clock that is already large: the wait would never end.
			if (this.tokens >= 1 - 1e-9) {
				this.tokens = Math.max(0, this.tokens - 1);
				return;
			}
			await clock.sleep(((1 - this.tokens) / this.rate) * 1000, signal);
		}
	}

	private refill(): void {
		const now = this.options.clock.now();
		if (now <= this.last) return;
		this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
		this.last = now;
	}
}
