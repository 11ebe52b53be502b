/**
 * The most messages that arrived within one second, from arrival times in ms: in fixed seconds
 * (as a per-second counter would show it) and in any one-second window (as a token bucket on
 * Meta's side could see it; never less than the fixed figure).
 */
export function busiestSecond(at: readonly number[]): { fixed: number; sliding: number } {
	const perSecond = new Map<number, number>();
	let fixed = 0;
	for (const t of at) {
		const second = Math.floor(t / 1000);
		const n = (perSecond.get(second) ?? 0) + 1;
		perSecond.set(second, n);
		fixed = Math.max(fixed, n);
	}
	const sorted = [...at].sort((a, b) => a - b);
	let sliding = 0;
	for (let first = 0, last = 0; last < sorted.length; last++) {
		// The window [sorted[first], sorted[first] + 1000) holds everything from first to last.
		while (sorted[last] - sorted[first] >= 1000) first++;
		sliding = Math.max(sliding, last - first + 1);
	}
	return { fixed, sliding };
}

/** The longest pause between two arrivals (ms): where a sender stood still. */
export function longestGap(at: readonly number[]): number {
	const sorted = [...at].sort((a, b) => a - b);
	let gap = 0;
	for (let i = 1; i < sorted.length; i++) gap = Math.max(gap, sorted[i] - sorted[i - 1]);
	return gap;
}
