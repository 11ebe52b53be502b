/** Meta's per-number throughput (token bucket) and per-recipient pair rate (sliding window). */

export class ThroughputBucket {
	private tokens: number;
	private last: number;

	constructor(
		private rate: number,
		private burst: number,
		now: number,
	) {
		this.tokens = burst;
		this.last = now;
	}

	reconfigure(rate: number, burst: number): void {
		this.rate = rate;
		this.burst = burst;
		this.tokens = Math.min(this.tokens, burst);
	}

	/** True when a message may pass now; consumes one token. */
	tryTake(now: number): boolean {
		if (this.rate <= 0) return true;
		this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
		this.last = now;
		if (this.tokens < 1) return false;
		this.tokens -= 1;
		return true;
	}
}

export interface PairRateLimit {
	/** Messages to one recipient allowed within the window. */
	maxPerWindow: number;
	windowMs: number;
}

export class PairRateWindow {
	private readonly sends = new Map<string, number[]>();

	constructor(private limit: PairRateLimit | false) {}

	reconfigure(limit: PairRateLimit | false): void {
		this.limit = limit;
	}

	tryTake(recipient: string, now: number): boolean {
		if (!this.limit) return true;
		const since = now - this.limit.windowMs;
		const recent = (this.sends.get(recipient) ?? []).filter((t) => t > since);
		if (recent.length >= this.limit.maxPerWindow) {
			this.sends.set(recipient, recent);
			return false;
		}
		recent.push(now);
		this.sends.set(recipient, recent);
		return true;
	}

	clear(): void {
		this.sends.clear();
	}
}

/** Small seeded PRNG (mulberry32): fault injection must be reproducible. */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
