import { randomUUID } from 'node:crypto';

import { CivicBroadcastError } from '../errors';
import type { DeliveryLedger } from '../store/types';

/** Another execution is sending this broadcast right now. */
export class BroadcastBusyError extends CivicBroadcastError {}

/** What a lease guards: one broadcast's row, or one sending number's (sender_leases). */
export interface LeaseTarget {
	claim(owner: string, until: Date): Promise<boolean>;
	release(owner: string): Promise<void>;
}

/**
 * A lease in the store, renewed while the work lasts. Wall-clock time on purpose: the lease is
 * shared between processes (n8n workers), unlike the sender's injected clock.
 */
export class Lease {
	private readonly owner = randomUUID();

	private constructor(
		private readonly target: LeaseTarget,
		private readonly ms: number,
	) {}

	/** The lease, or undefined while another owner holds it. */
	static async tryTake(target: LeaseTarget, ms: number): Promise<Lease | undefined> {
		const lease = new Lease(target, ms);
		return (await lease.renew()) ? lease : undefined;
	}

	/** The sending lease of one broadcast: one execution per key at a time. */
	static async take(
		ledger: DeliveryLedger,
		broadcastId: number,
		ms: number,
		key: string,
	): Promise<Lease> {
		const lease = await Lease.tryTake(
			{
				claim: (owner, until) => ledger.claimBroadcast(broadcastId, owner, until),
				release: (owner) => ledger.releaseBroadcast(broadcastId, owner),
			},
			ms,
		);
		if (!lease)
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
		await this.target.release(this.owner).catch(() => undefined);
	}

	private renew(): Promise<boolean> {
		return this.target.claim(this.owner, new Date(Date.now() + this.ms));
	}
}
