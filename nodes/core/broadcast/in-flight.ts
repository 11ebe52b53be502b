import { ConfigError } from '../errors';

/** The most requests one sending loop keeps waiting for an answer; also the crash bound. */
export const MAX_IN_FLIGHT_BOUND = 256;
/** Before the first answer, and the least ever: enough to hide one slow answer at low rates. */
export const MIN_IN_FLIGHT = 4;

/**
 * How many sends may wait for an answer at once. Little's law: to reach `rate` messages per second
 * when an answer takes `latency` seconds, `rate × latency` requests must be in flight. The limit
 * follows the observed latency (a moving average), with a quarter more for jitter, between
 * MIN_IN_FLIGHT and `max`: Meta answers in 50 ms on a good day and in 500 ms on a bad one, and a
 * fixed limit would cap the rate at `limit / latency` whatever was configured. A `fixed` limit
 * (set by staff) is kept as it is.
 */
export class InFlightLimit {
	private averageMs: number | undefined;
	private readonly max: number;

	constructor(
		private readonly rate: number,
		options: { fixed?: number; max?: number } = {},
	) {
		this.max = options.fixed ?? options.max ?? MAX_IN_FLIGHT_BOUND;
		if (!(Number.isInteger(this.max) && this.max >= 1 && this.max <= 1000))
			throw new ConfigError(
				`The in-flight limit must be a whole number from 1 to 1000 (got ${this.max})`,
			);
		this.fixed = options.fixed !== undefined;
	}

	private readonly fixed: boolean;

	/** Feeds one answer's latency (request written → answer read). */
	observe(latencyMs: number): void {
		if (!(latencyMs >= 0) || this.fixed) return;
		this.averageMs =
			this.averageMs === undefined ? latencyMs : this.averageMs * 0.9 + latencyMs * 0.1;
	}

	get current(): number {
		if (this.fixed) return this.max;
		// Unpaced (rate 0, tests and benchmarks): as many as allowed.
		if (this.rate <= 0) return this.max;
		if (this.averageMs === undefined) return Math.min(this.max, MIN_IN_FLIGHT * 2);
		const needed = Math.ceil(((this.rate * this.averageMs) / 1000) * 1.25) + 1;
		return Math.max(Math.min(MIN_IN_FLIGHT, this.max), Math.min(this.max, needed));
	}
}
