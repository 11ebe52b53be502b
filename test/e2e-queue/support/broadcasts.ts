/**
 * Pieces the queue-mode broadcast scenarios share: subscribers written straight into the consent
 * store (as an import would; the scenarios are about sending, not subscribing), the CMS post, and
 * the busiest one-second windows of what the simulator accepted.
 */
import type { QueueEnvironment } from './queue-environment';

/** Distinct numbers with a prefix of the caller's, unlikely to occur by chance in n8n's files. */
export function phoneNumbers(prefix: string, count: number, start: number, step: number): string[] {
	return Array.from(
		{ length: count },
		(_, i) => `${prefix}${String(start + i * step).padStart(8, '0')}`,
	);
}

export async function subscribeAll(env: QueueEnvironment, phones: string[]): Promise<void> {
	await env.store.subscribeMany(
		phones.map((phone) => ({
			identity: { phone },
			language: 'de' as const,
			source: 'import' as const,
			textVersion: 'v1',
		})),
	);
	if ((await env.store.countSubscribers()) !== phones.length)
		throw new Error(`Expected ${phones.length} subscribers in the store`);
}

/** Posts an announcement as the CMS does; resolves with n8n's answer, or why there was none. */
export async function postCms(env: QueueEnvironment, body: unknown): Promise<string> {
	try {
		const response = await fetch(env.cmsUrl, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				[env.cmsHeader.name.toLowerCase()]: env.cmsHeader.value,
			},
			body: JSON.stringify(body),
		});
		return `HTTP ${response.status} ${await response.text()}`;
	} catch (error) {
		return `no answer (${(error as Error).message})`;
	}
}

export interface BusiestWindows {
	/** Most arrivals in one calendar second (floor(at / 1000)). */
	fixed: { count: number; second: number };
	/** Most arrivals in any window [t, t + 1000 ms) that starts at an arrival. */
	sliding: { count: number; from: number };
}

/** The busiest fixed and sliding one-second windows of these arrival times (ms). */
export function busiestWindows(arrivals: number[]): BusiestWindows {
	const at = [...arrivals].sort((a, b) => a - b);
	const perSecond = new Map<number, number>();
	for (const t of at)
		perSecond.set(Math.floor(t / 1000), (perSecond.get(Math.floor(t / 1000)) ?? 0) + 1);
	const fixed = { count: 0, second: 0 };
	for (const [second, count] of perSecond)
		if (count > fixed.count) Object.assign(fixed, { count, second });
	const sliding = { count: 0, from: 0 };
	let end = 0;
	for (let start = 0; start < at.length; start++) {
		while (end < at.length && at[end] < at[start] + 1000) end++;
		if (end - start > sliding.count)
			Object.assign(sliding, { count: end - start, from: at[start] });
	}
	return { fixed, sliding };
}
