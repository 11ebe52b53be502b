import { InputError } from '../errors';
import type { IdentityCodec } from './identity-codec';
import type { SqlDriver, SqlExecutor } from './sql-driver';
import type { HeldBackSummary, Identity, StaffAdmission, StaffLimitStore } from './types';

export const STAFF_WINDOW_MS = 3_600_000;
export const DEFAULT_STAFF_LIMIT = 5;

/**
 * Messages forwarded to staff, limited per person (types.ts `StaffLimitStore`). Each step is one
 * transaction of conditional updates, so concurrent executions and workers count each message
 * once and never forward more than the limit.
 */
export function sqlStaffLimit(db: SqlDriver, codec: IdentityCodec): StaffLimitStore {
	return {
		async admitToStaff(
			identity: Identity,
			input: { limit: number; now?: Date },
		): Promise<StaffAdmission> {
			if (!Number.isInteger(input.limit) || input.limit < 0)
				throw new InputError('The number of messages per person and hour must be 0 or more');
			const { phoneIndex, userIndex } = codec.indexes(identity);
			const index = phoneIndex ?? userIndex;
			if (!index) throw new InputError('The message has no sender to count it under');
			const now = (input.now ?? new Date()).getTime();
			const ended = now - STAFF_WINDOW_MS;
			return db.transaction(async (tx) => {
				await serialise(tx);
				await tx.run(`DELETE FROM staff_forwards WHERE window_start <= $1 AND held = 0`, [ended]);
				await tx.run(
					`INSERT INTO staff_forwards (identity_index, window_start, forwarded, held) VALUES ($1, $2, 0, 0) ON CONFLICT (identity_index) DO NOTHING`,
					[index, now],
				);
				// The person's hour is over: a new one starts; what was held stays for the summary.
				await tx.run(
					`UPDATE staff_forwards SET window_start = $2, forwarded = 0 WHERE identity_index = $1 AND window_start <= $3`,
					[index, now, ended],
				);
				const forwarded = await tx.all(
					`UPDATE staff_forwards SET forwarded = forwarded + 1 WHERE identity_index = $1 AND forwarded < $2 RETURNING forwarded`,
					[index, input.limit],
				);
				if (forwarded.length > 0) return 'forwarded';
				// The first message held back since the last summary starts the summary's hour.
				const [pending] = await tx.all(
					`SELECT 1 AS one FROM staff_forwards WHERE held > 0 LIMIT 1`,
				);
				if (!pending)
					await tx.run(
						`INSERT INTO staff_summary (id, last_at) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET last_at = excluded.last_at`,
						[now],
					);
				await tx.run(`UPDATE staff_forwards SET held = held + 1 WHERE identity_index = $1`, [
					index,
				]);
				return 'held';
			});
		},

		async takeHeldBackSummary(input: { now?: Date } = {}): Promise<HeldBackSummary | undefined> {
			const now = (input.now ?? new Date()).getTime();
			return db.transaction(async (tx) => {
				await serialise(tx);
				const [totals] = await tx.all(
					`SELECT COUNT(*) AS people, COALESCE(SUM(held), 0) AS messages FROM staff_forwards WHERE held > 0`,
				);
				if (Number(totals.people) === 0) return undefined;
				const [since] = await tx.all(`SELECT last_at FROM staff_summary WHERE id = 1`);
				// Claimed by one caller: the update's condition fails for the second.
				const claimed = await tx.all(
					`UPDATE staff_summary SET last_at = $1 WHERE id = 1 AND last_at <= $2 RETURNING id`,
					[now, now - STAFF_WINDOW_MS],
				);
				if (claimed.length === 0) return undefined;
				const [counted] = await tx.all(
					`SELECT COUNT(*) AS people, COALESCE(SUM(held), 0) AS messages FROM staff_forwards WHERE held > 0`,
				);
				await tx.run(`UPDATE staff_forwards SET held = 0 WHERE held > 0`);
				await tx.run(`DELETE FROM staff_forwards WHERE window_start <= $1 AND held = 0`, [
					now - STAFF_WINDOW_MS,
				]);
				return {
					messages: Number(counted.messages),
					people: Number(counted.people),
					since: new Date(Number(since?.last_at ?? now)),
					until: new Date(now),
				};
			});
		},
	};
}

/**
 * One staff-limit step at a time per schema on PostgreSQL: each step sweeps several people's rows
 * (the hour's clean-up, the summary), and two steps taking those row locks in different orders
 * deadlocked (seen: 40P01 with twelve concurrent callers). These steps are rare (questions to
 * staff only), so a lock for the transaction's length costs nothing. SQLite serialises writers itself.
 */
async function serialise(tx: SqlExecutor): Promise<void> {
	if (tx.dialect === 'postgres')
		await tx.all(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.staff_forwards'))`);
}
