import { audienceCondition } from './audience';
import type { IdentityCodec } from './identity-codec';
import { toRecipient } from './row-mapping';
import type { Row, SqlDriver, SqlExecutor, SqlValue } from './sql-driver';
import { countUndeliverable, followStatus, UNDELIVERABLE_CODES } from './sql-undeliverable';
import type {
	Audience,
	BroadcastRecord,
	BroadcastReport,
	DeliveryLedger,
	DeliveryOutcome,
	DeliveryPolicy,
	Recipient,
	StatusUpdate,
} from './types';

/** Later statuses win; a `read` after `failed` is kept out (rank order), `played` counts as read. */
const STATUS_RANK: Record<StatusUpdate['status'], number> = {
	sent: 1,
	delivered: 2,
	read: 3,
	played: 3,
	failed: 4,
};

const REPORT_COUNTS = `COUNT(*) AS recipients,
	SUM(CASE WHEN d.state = 'accepted' THEN 1 ELSE 0 END) AS accepted,
	SUM(CASE WHEN d.status_rank BETWEEN 1 AND 3 THEN 1 ELSE 0 END) AS sent,
	SUM(CASE WHEN d.status_rank BETWEEN 2 AND 3 THEN 1 ELSE 0 END) AS delivered,
	SUM(CASE WHEN d.status_rank = 3 THEN 1 ELSE 0 END) AS read_count,
	SUM(CASE WHEN d.state = 'failed' OR d.status_rank = 4 THEN 1 ELSE 0 END) AS failed,
	SUM(CASE WHEN d.state = 'unknown' THEN 1 ELSE 0 END) AS unknown_count`;

/** The broadcast half of the store: one delivery row per (broadcast, subscriber). */
export function sqlLedger(db: SqlDriver, codec: IdentityCodec): DeliveryLedger {
	const report = (broadcast: Row) => readReport(db, broadcast);
	return {
		async openBroadcast(input: {
			key: string;
			title?: string;
			at?: Date;
		}): Promise<BroadcastRecord> {
			const at = (input.at ?? new Date()).getTime();
			const inserted = await db.all(
				`INSERT INTO broadcasts (key, title, created_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING RETURNING id, key, title, created_at`,
				[input.key, input.title ?? null, at],
			);
			const created = inserted.length > 0;
			const [row] = created
				? inserted
				: await db.all(`SELECT id, key, title, created_at FROM broadcasts WHERE key = $1`, [
						input.key,
					]);
			return {
				id: Number(row.id),
				key: String(row.key),
				title: (row.title as string | null) ?? null,
				createdAt: new Date(Number(row.created_at)),
				created,
			};
		},

		async pendingRecipients(
			broadcastId: number,
			page: { audience: Audience; after: number; limit: number },
		): Promise<Recipient[]> {
			const params: SqlValue[] = [broadcastId, page.after, page.limit];
			const inAudience = audienceCondition(page.audience, params);
			const rows = await db.all(
				`SELECT s.id, s.pseudonym, s.language, s.phone_cipher, s.user_cipher FROM subscribers s
			 WHERE s.id > $2 AND ${inAudience} AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.broadcast_id = $1 AND d.subscriber_id = s.id)
			 ORDER BY s.id LIMIT $3`,
				params,
			);
			return rows.map((row) => toRecipient(codec, row));
		},

		async markSending(broadcastId: number, subscriberIds: number[]): Promise<void> {
			// Joined with subscribers: someone who left since the page was read gets no row (withdrawal
			// must leave nothing of theirs behind).
			if (subscriberIds.length === 0) return;
			const now = Date.now();
			await db.transaction(async (tx) => {
				if (tx.dialect === 'postgres') {
					await tx.run(
						`INSERT INTO deliveries (broadcast_id, subscriber_id, state, updated_at) SELECT $1, s.id, 'sending', $3 FROM unnest($2::bigint[]) AS v(id) JOIN subscribers s ON s.id = v.id ON CONFLICT DO NOTHING`,
						[broadcastId, subscriberIds, now],
					);
					return;
				}
				for (const id of subscriberIds) {
					await tx.run(
						`INSERT INTO deliveries (broadcast_id, subscriber_id, state, updated_at) SELECT $1, id, 'sending', $3 FROM subscribers WHERE id = $2 ON CONFLICT DO NOTHING`,
						[broadcastId, id, now],
					);
				}
			});
		},

		async releaseSending(broadcastId: number, subscriberIds: number[]): Promise<void> {
			if (subscriberIds.length === 0) return;
			await db.transaction(async (tx) => {
				if (tx.dialect === 'postgres') {
					await tx.run(
						`DELETE FROM deliveries WHERE broadcast_id = $1 AND state = 'sending' AND subscriber_id = ANY($2::bigint[])`,
						[broadcastId, subscriberIds],
					);
					return;
				}
				for (const id of subscriberIds) {
					await tx.run(
						`DELETE FROM deliveries WHERE broadcast_id = $1 AND subscriber_id = $2 AND state = 'sending'`,
						[broadcastId, id],
					);
				}
			});
		},

		async recordOutcomes(broadcastId: number, outcomes: DeliveryOutcome[]): Promise<void> {
			if (outcomes.length === 0) return;
			const now = Date.now();
			const ids = outcomes.map((o) => o.subscriberId);
			const states = outcomes.map((o) => o.state);
			const messageRefs = outcomes.map((o) =>
				o.state === 'accepted' ? codec.messageRef(o.messageId) : null,
			);
			const codes = outcomes.map((o) => (o.state === 'failed' ? o.errorCode : null));
			const undeliverable = outcomes.flatMap((o) =>
				o.state === 'failed' && UNDELIVERABLE_CODES.includes(o.errorCode) ? [o.subscriberId] : [],
			);
			// Upsert: an outcome also lands if its intent row was never written; a subscriber who left meanwhile
			// is skipped by the join, so nothing of theirs is re-created.
			await db.transaction(async (tx) => {
				if (tx.dialect === 'postgres') {
					await tx.run(
						`INSERT INTO deliveries (broadcast_id, subscriber_id, state, message_ref, error_code, updated_at)
					 SELECT $1, v.id, v.state, v.message_ref, v.code, $6
					 FROM unnest($2::bigint[], $3::text[], $4::text[], $5::int[]) AS v(id, state, message_ref, code)
					 JOIN subscribers s ON s.id = v.id
					 ON CONFLICT (broadcast_id, subscriber_id) DO UPDATE SET state = excluded.state, message_ref = excluded.message_ref, error_code = excluded.error_code, updated_at = excluded.updated_at`,
						[broadcastId, ids, states, messageRefs as string[], codes as number[], now],
					);
					await countUndeliverable(tx, broadcastId, undeliverable);
					return;
				}
				for (let i = 0; i < ids.length; i++) {
					// The intent row is there in the normal case: a plain update by primary key is cheapest.
					const updated = await tx.run(
						`UPDATE deliveries SET state = $3, message_ref = $4, error_code = $5, updated_at = $6 WHERE broadcast_id = $1 AND subscriber_id = $2`,
						[broadcastId, ids[i], states[i], messageRefs[i], codes[i], now],
					);
					if (updated > 0) continue;
					await tx.run(
						`INSERT INTO deliveries (broadcast_id, subscriber_id, state, message_ref, error_code, updated_at)
					 SELECT $1, id, $3, $4, $5, $6 FROM subscribers WHERE id = $2
					 ON CONFLICT (broadcast_id, subscriber_id) DO UPDATE SET state = excluded.state, message_ref = excluded.message_ref, error_code = excluded.error_code, updated_at = excluded.updated_at`,
						[broadcastId, ids[i], states[i], messageRefs[i], codes[i], now],
					);
				}
				await countUndeliverable(tx, broadcastId, undeliverable);
			});
		},

		async recoverInterrupted(broadcastId: number, policy: DeliveryPolicy): Promise<number> {
			if (policy === 'at-least-once') {
				return db.run(`DELETE FROM deliveries WHERE broadcast_id = $1 AND state = 'sending'`, [
					broadcastId,
				]);
			}
			return db.run(
				`UPDATE deliveries SET state = 'unknown', updated_at = $2 WHERE broadcast_id = $1 AND state = 'sending'`,
				[broadcastId, Date.now()],
			);
		},

		async claimBroadcast(broadcastId: number, owner: string, until: Date): Promise<boolean> {
			const now = Date.now();
			const changed = await db.run(
				`UPDATE broadcasts SET lease_owner = $2, lease_until = $3
			 WHERE id = $1 AND (lease_owner IS NULL OR lease_owner = $2 OR lease_until < $4)`,
				[broadcastId, owner, until.getTime(), now],
			);
			return changed > 0;
		},

		async releaseBroadcast(broadcastId: number, owner: string): Promise<void> {
			await db.run(
				`UPDATE broadcasts SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2`,
				[broadcastId, owner],
			);
		},

		async recordStatus(update: StatusUpdate): Promise<'updated' | 'unchanged' | 'unknown_message'> {
			const rank = STATUS_RANK[update.status];
			const status = update.status === 'played' ? 'read' : update.status;
			const changed = await db.run(
				`UPDATE deliveries SET status = $2, status_rank = $3, error_code = COALESCE($4, error_code), updated_at = $5 WHERE message_ref = $1 AND status_rank < $3`,
				[
					codec.messageRef(update.messageId),
					status,
					rank,
					update.errorCode ?? null,
					update.at.getTime(),
				],
			);
			if (changed > 0) {
				await followStatus(db, codec.messageRef(update.messageId), status, update.errorCode);
				return 'updated';
			}
			const [known] = await db.all(`SELECT 1 AS one FROM deliveries WHERE message_ref = $1`, [
				codec.messageRef(update.messageId),
			]);
			return known ? 'unchanged' : 'unknown_message';
		},

		async broadcastReport(key: string): Promise<BroadcastReport | undefined> {
			const [broadcast] = await db.all(
				`SELECT id, key, title, created_at, state, runs FROM broadcasts WHERE key = $1`,
				[key],
			);
			return broadcast ? report(broadcast) : undefined;
		},

		async listBroadcasts(input: { limit: number }): Promise<BroadcastReport[]> {
			const rows = await db.all(
				`SELECT id, key, title, created_at, state, runs FROM broadcasts ORDER BY id DESC LIMIT $1`,
				[input.limit],
			);
			return Promise.all(rows.map((row) => report(row)));
		},
	};
}

async function readReport(db: SqlExecutor, broadcast: Row): Promise<BroadcastReport> {
	const [c] = await db.all(`SELECT ${REPORT_COUNTS} FROM deliveries d WHERE d.broadcast_id = $1`, [
		Number(broadcast.id),
	]);
	const codes = await db.all(
		`SELECT error_code, COUNT(*) AS n FROM deliveries WHERE broadcast_id = $1 AND error_code IS NOT NULL AND (state = 'failed' OR status_rank = 4) GROUP BY error_code`,
		[Number(broadcast.id)],
	);
	return {
		key: String(broadcast.key),
		title: (broadcast.title as string | null) ?? null,
		createdAt: new Date(Number(broadcast.created_at)),
		recipients: Number(c.recipients),
		accepted: Number(c.accepted ?? 0),
		sent: Number(c.sent ?? 0),
		delivered: Number(c.delivered ?? 0),
		read: Number(c.read_count ?? 0),
		failed: Number(c.failed ?? 0),
		unknown: Number(c.unknown_count ?? 0),
		failedByCode: Object.fromEntries(codes.map((r) => [String(r.error_code), Number(r.n)])),
		state: (broadcast.state as BroadcastReport['state'] | undefined) ?? 'done',
		resumptions: Math.max(0, Number(broadcast.runs ?? 0) - 1),
	};
}
