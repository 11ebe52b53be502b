import type { Clock } from '../../../nodes/core/broadcast';

/** A clock that only moves when told to; sleepers wake in time order. */
export class FakeClock implements Clock {
	private time = 0;
	private sleepers: Array<{ at: number; resolve: () => void; reject: (e: unknown) => void }> = [];

	now(): number {
		return this.time;
	}

	sleep(ms: number, signal?: AbortSignal): Promise<void> {
		if (signal?.aborted) return Promise.reject(signal.reason);
		return new Promise<void>((resolve, reject) => {
			const sleeper = { at: this.time + ms, resolve, reject };
			this.sleepers.push(sleeper);
			signal?.addEventListener('abort', () => {
				this.sleepers = this.sleepers.filter((s) => s !== sleeper);
				reject(signal.reason);
			});
		});
	}

	get sleeping(): number {
		return this.sleepers.length;
	}

	/** Moves time forward, waking each sleeper at its moment and letting its continuation run. */
	async advance(ms: number): Promise<void> {
		const end = this.time + ms;
		for (;;) {
			await flush();
			this.sleepers.sort((a, b) => a.at - b.at);
			const next = this.sleepers[0];
			if (!next || next.at > end) break;
			this.sleepers.shift();
			this.time = Math.max(this.time, next.at);
			next.resolve();
		}
		this.time = end;
		await flush();
	}
}

async function flush(): Promise<void> {
	for (let i = 0; i < 20; i++) await Promise.resolve();
}
