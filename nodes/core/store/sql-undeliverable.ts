import { InputError } from '../errors';
import type { SqlDriver, SqlExecutor } from './sql-driver';
import { deleteSubscriber } from './subscriber-rows';
import { SUBSCRIBER_COLUMNS } from './row-mapping';
import type { ConsentSource, UndeliverableStore } from './types';

/**
 * WhatsApp's "message undeliverable" (131026): the number is not on WhatsApp, or cannot receive
 * this message. The only channel today is WhatsApp; another channel adds its own code here.
 */
export const UNDELIVERABLE_CODES: readonly number[] = [131026];
export const DEFAULT_UNDELIVERABLE_AFTER = 3;

/**
 * The undeliverable streak (issue 12, point 5): consecutive broadcasts whose send to a subscriber
 * ended as undeliverable. A broadcast counts once, whether the code came with the send's answer or
 * in a failed status webhook; a `delivered` or `read` status resets it. `undeliverable_broadcast`
 * is the last broadcast that changed the streak, so a repeated webhook counts nothing and a late
 * webhook of an older broadcast does not undo a newer one. An accepted send with no status yet
 * changes nothing (its 131026 may still come).
 */
export async function countUndeliverable(
	tx: SqlExecutor,
	broadcastId: number,
	subscriberIds: number[],
): Promise<void> {
	if (subscriberIds.length === 0) return;
	const list = subscriberIds.map((_, i) => `$${i + 2}`).join(', ');
	await tx.run(
		`UPDATE subscribers SET undeliverable_streak = undeliverable_streak + 1, undeliverable_broadcast = $1
		 WHERE id IN (${list}) AND (undeliverable_broadcast IS NULL OR undeliverable_broadcast < $1)`,
		[broadcastId, ...subscriberIds],
	);
}

export async function resetUndeliverable(
	tx: SqlExecutor,
	broadcastId: number,
	subscriberId: number,
): Promise<void> {
	await tx.run(
		`UPDATE subscribers SET undeliverable_streak = 0, undeliverable_broadcast = $1
		 WHERE id = $2 AND (undeliverable_broadcast IS NULL OR undeliverable_broadcast < $1)`,
		[broadcastId, subscriberId],
	);
}

/** After a status webhook changed a delivery row: count or reset its subscriber's streak. */
export async function followStatus(
	db: SqlExecutor,
	messageRef: string,
	status: string,
	errorCode: number | undefined,
): Promise<void> {
	const undeliverable =
		status === 'failed' && errorCode !== undefined && UNDELIVERABLE_CODES.includes(errorCode);
	if (!undeliverable && status !== 'delivered' && status !== 'read') return;
	const [row] = await db.all(
		`SELECT broadcast_id, subscriber_id FROM deliveries WHERE message_ref = $1`,
		[messageRef],
	);
	if (!row) return;
	const broadcastId = Number(row.broadcast_id);
	const subscriberId = Number(row.subscriber_id);
	if (undeliverable) await countUndeliverable(db, broadcastId, [subscriberId]);
	else await resetUndeliverable(db, broadcastId, subscriberId);
}

export function checkThreshold(after: number): number {
	if (!Number.isInteger(after) || after < 1 || after > 1000)
		throw new InputError('The number of broadcasts must be a whole number from 1 to 1000');
	return after;
}

export function sqlUndeliverable(db: SqlDriver): UndeliverableStore {
	return {
		async removeUndeliverable(input: {
			after: number;
			source?: ConsentSource;
			at?: Date;
		}): Promise<{ removed: string[] }> {
			const after = checkThreshold(input.after);
			return db.transaction(async (tx) => {
				const rows = await tx.all(
					`SELECT ${SUBSCRIBER_COLUMNS} FROM subscribers WHERE undeliverable_streak >= $1 ORDER BY id`,
					[after],
				);
				const removed: string[] = [];
				for (const row of rows) {
					const result = await deleteSubscriber(
						tx,
						row,
						{ source: input.source ?? 'manual', at: input.at },
						'removed_undeliverable',
					);
					if (result.status === 'deleted') removed.push(result.pseudonym);
				}
				return { removed };
			});
		},
	};
}
