import type { RetryOutcome } from './channel';

export interface BackoffOptions {
	/** First retry waits about this long. */
	baseMs: number;
	/** No wait is longer than this. */
	maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random, so retries of many
 * recipients spread out instead of returning in lockstep, yet none comes back immediately.
 */
export function backoffDelay(
	attempt: number,
	options: BackoffOptions,
	random: () => number,
): number {
	const step = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
	return step / 2 + random() * (step / 2);
}

/** Meta's pair rate (131056): one recipient waits 4^n seconds (scaled by `baseMs` / 1000). */
export function pairRateDelay(attempt: number, options: BackoffOptions): number {
	return Math.min(options.maxMs * 4, options.baseMs * 8 * 4 ** Math.max(0, attempt - 1));
}

/** How long a retryable send waits before its next attempt (the recipient's pace, else backoff). */
export function retryDelay(
	outcome: RetryOutcome,
	attempt: number,
	options: BackoffOptions,
	random: () => number,
): number {
	return outcome.kind === 'retryable' && outcome.pace === 'recipient'
		? pairRateDelay(attempt, options)
		: backoffDelay(attempt, options, random);
}
