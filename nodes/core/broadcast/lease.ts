import { randomUUID } from 'node:crypto';

import { CivicBroadcastError } from '../errors';
import type { DeliveryLedger } from '../store/types';

/** Another execution is sending this broadcast right now. */
export class BroadcastBusyError extends CivicBroadcastError {}

/**
 * The sending lease of one broadcast, renewed while the run lasts. Wall-clock time on purpose:
 * the lease is shared between processes (n8n workers), unlike the sender's injected clock.
 */
export class Lease {
	private readonly owner = randomUUID();

	private constructor(
		private readonly ledger: DeliveryLedger,
		private readonly broadcastId: number,
		private readonly ms: number,
	) {}

	static async take(
		ledger: DeliveryLedger,
		broadcastId: number,
		ms: number,
		key: string,
	): Promise<Lease> {
		const lease = new Lease(ledger, broadcastId, ms);
		if (!(await lease.renew()))
			throw new BroadcastBusyError(
				`Broadcast "${key}" is being sent by another execution right now. Run it again when that one has finished (after a crash, within ${Math.ceil(ms / 1000)} s); it then sends only to those not yet sent.`,
			);
		return lease;
	}

	/** Renews the lease until `work` settles; calls `onLost` if another owner took it meanwhile. */
	async hold<T>(work: Promise<T>, onLost: (error: Error) => void): Promise<T> {
		const timer = setInterval(
			() => {
				this.renew().then(
					(held) => {
						if (!held)
							onLost(
								new BroadcastBusyError(
									'The sending lease was lost to another execution: this run stopped',
								),
							);
					},
					(error: Error) => onLost(error),
				);
			},
			Math.max(10, Math.floor(this.ms / 3)),
		);
		timer.unref();
		try {
			return await work;
		} finally {
			clearInterval(timer);
		}
	}

	async release(): Promise<void> {
		await this.ledger.releaseBroadcast(this.broadcastId, this.owner).catch(() => undefined);
	}

	private renew(): Promise<boolean> {
		return this.ledger.claimBroadcast(this.broadcastId, this.owner, new Date(Date.now() + this.ms));
	}
}
