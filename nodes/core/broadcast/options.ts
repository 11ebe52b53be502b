import { ConfigError } from '../errors';
import type { DeliveryPolicy } from '../store/types';
import { DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { systemClock, type Clock } from './clock';

export interface SendOptions {
	/** Messages per second. Default 20: well below Meta's 80, which inbound traffic shares. */
	rate?: number;
	burst?: number;
	/**
	 * Requests waiting for an answer at once; also bounds duplicates (or misses) after a crash. Not
	 * set: it follows the observed latency (in-flight.ts), up to MAX_IN_FLIGHT_BOUND.
	 */
	maxInFlight?: number;
	/** Recipients read from the store per page. */
	pageSize?: number;
	/** Tries per recipient for temporary errors. */
	maxAttempts?: number;
	backoff?: BackoffOptions;
	/** What to do with sends a crash left unanswered. */
	policy?: DeliveryPolicy;
	/** Abort after this many attempts in a row that got no HTTP answer at all (API unreachable). */
	unreachableAfter?: number;
	/** Abort after this many recipients in a row ran out of retries. */
	errorBudget?: number;
	/**
	 * How long the sending lease lasts without renewal (renewed every third of it while sending).
	 * After a crash, the same broadcast can resume once it has run out.
	 */
	leaseMs?: number;
	/** Cooperative stop: sends in flight finish and are recorded; nothing new starts. */
	signal?: AbortSignal;
	clock?: Clock;
	random?: () => number;
}

export type ResolvedSendOptions = Required<Omit<SendOptions, 'signal' | 'burst' | 'maxInFlight'>> &
	Pick<SendOptions, 'signal' | 'burst' | 'maxInFlight'>;

export const DEFAULT_RATE = 20;

export function resolveSendOptions(options: SendOptions): ResolvedSendOptions {
	const resolved: ResolvedSendOptions = {
		rate: options.rate ?? DEFAULT_RATE,
		burst: options.burst,
		maxInFlight: options.maxInFlight,
		pageSize: options.pageSize ?? 500,
		maxAttempts: options.maxAttempts ?? 6,
		backoff: options.backoff ?? DEFAULT_BACKOFF,
		policy: options.policy ?? 'at-least-once',
		unreachableAfter: options.unreachableAfter ?? 12,
		errorBudget: options.errorBudget ?? 20,
		leaseMs: options.leaseMs ?? 60_000,
		signal: options.signal,
		clock: options.clock ?? systemClock,
		random: options.random ?? Math.random,
	};
	if (resolved.maxInFlight !== undefined)
		positiveInteger('in-flight limit', resolved.maxInFlight, 1000);
	positiveInteger('page size', resolved.pageSize, 100_000);
	positiveInteger('number of attempts', resolved.maxAttempts, 100);
	positiveInteger('lease time', resolved.leaseMs, 3_600_000);
	if (resolved.policy !== 'at-least-once' && resolved.policy !== 'at-most-once')
		throw new ConfigError(
			`Unknown delivery policy "${String(resolved.policy)}": use at-least-once or at-most-once`,
		);
	return resolved;
}

function positiveInteger(label: string, value: number, max: number): void {
	if (!(Number.isInteger(value) && value >= 1 && value <= max))
		throw new ConfigError(`The ${label} must be a whole number from 1 to ${max} (got ${value})`);
}
