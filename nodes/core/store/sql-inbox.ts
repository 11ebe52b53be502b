import type { IdentityCodec } from './identity-codec';
import type { SqlDriver, SqlExecutor } from './sql-driver';
import type { InboxEntry, InboxMark, InboxStore, ReceivedEvent } from './types';

const DAY_MS = 86_400_000;
/**
 * A done row only says "applied" (its item is dropped when it is closed); it is kept a day so an
 * execution still holding the same item (a slow one, or a re-emitted one) sees it is done.
 */
const DONE_KEPT_MS = DAY_MS;
/** Meta stops retrying after 7 days; an item nobody could apply by then is given up. */
const OPEN_KEPT_MS = 7 * DAY_MS;

/**
 * The durable inbox (ARCHITECTURE.md, the store): what the webhook answered 200 for stays here until
 * Process Message applied it, so an execution n8n failed to create is handed out again.
 */
export function sqlInbox(db: SqlDriver, codec: IdentityCodec): InboxStore {
	return {
		async receiveEvents(
			events: ReceivedEvent[],
			input: { now?: Date; horizonDays?: number } = {},
		): Promise<string[]> {
			if (events.length === 0) return [];
			const now = (input.now ?? new Date()).getTime();
			const horizon = now - (input.horizonDays ?? 7) * DAY_MS;
			// Claim and keep in one transaction: a key is never claimed without its item being kept.
			return db.transaction(async (tx) => {
				await tx.run(`DELETE FROM event_keys WHERE seen_at < $1`, [horizon]);
				await pruneInbox(tx, now);
				const fresh = new Set<string>();
				const tried = new Set<string>();
				for (const event of events) {
					if (tried.has(event.key)) continue;
					tried.add(event.key);
					const ref = codec.eventRef(event.key);
					const claimed = await tx.all(
						`INSERT INTO event_keys (key_ref, seen_at) VALUES ($1, $2) ON CONFLICT (key_ref) DO NOTHING RETURNING key_ref`,
						[ref, now],
					);
					if (claimed.length === 0) continue;
					fresh.add(event.key);
					if (!event.inbox) continue;
					await tx.run(
						`INSERT INTO inbox (ref, item_cipher, sent_at, received_at, emitted_at, attempts) VALUES ($1, $2, $3, $4, $4, 0) ON CONFLICT (ref) DO NOTHING`,
						[
							ref,
							codec.sealInboxItem(JSON.stringify(event.inbox.item)),
							event.inbox.sentAt.getTime(),
							now,
						],
					);
				}
				return [...tried].filter((key) => fresh.has(key));
			});
		},

		async markInboxDone(refs: string[], input: { now?: Date } = {}): Promise<InboxMark[]> {
			if (refs.length === 0) return [];
			const now = (input.now ?? new Date()).getTime();
			return db.transaction(async (tx) => {
				const marks: InboxMark[] = [];
				for (const ref of refs) marks.push(await closeInboxRow(tx, ref, now));
				return marks;
			});
		},

		async pendingInbox(input: {
			olderThanMs: number;
			limit: number;
			now?: Date;
		}): Promise<InboxEntry[]> {
			const now = (input.now ?? new Date()).getTime();
			const cutoff = now - Math.max(0, input.olderThanMs);
			const limit = Math.max(0, Math.floor(input.limit));
			if (limit === 0) return [];
			const rows = await db.transaction(async (tx) => {
				await pruneInbox(tx, now);
				// The outer conditions are checked again on the row itself (PostgreSQL re-reads a row
				// another worker changed meanwhile), so two schedules at once do not both take it.
				return tx.all(
					`UPDATE inbox SET emitted_at = $1, attempts = attempts + 1
					 WHERE ref IN (SELECT ref FROM inbox WHERE done_at IS NULL AND emitted_at <= $2 ORDER BY sent_at, ref LIMIT $3)
					   AND done_at IS NULL AND emitted_at <= $2
					 RETURNING ref, item_cipher, sent_at, received_at, attempts`,
					[now, cutoff, limit],
				);
			});
			return rows
				.map((row) => ({
					ref: String(row.ref),
					item: JSON.parse(codec.openInboxItem(row.item_cipher)) as Record<string, unknown>,
					sentAt: new Date(Number(row.sent_at)),
					receivedAt: new Date(Number(row.received_at)),
					attempts: Number(row.attempts),
				}))
				.sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime() || (a.ref < b.ref ? -1 : 1));
		},
	};
}

/** Closes one row and drops its item (the message text is not kept longer than needed). */
export async function closeInboxRow(tx: SqlExecutor, ref: string, now: number): Promise<InboxMark> {
	const changed = await tx.run(
		`UPDATE inbox SET done_at = $1, item_cipher = NULL WHERE ref = $2 AND done_at IS NULL`,
		[now, ref],
	);
	if (changed > 0) return 'done_now';
	const [row] = await tx.all(`SELECT 1 AS x FROM inbox WHERE ref = $1`, [ref]);
	return row ? 'done_before' : 'unknown';
}

async function pruneInbox(tx: SqlExecutor, now: number): Promise<void> {
	await tx.run(
		`DELETE FROM inbox WHERE (done_at IS NOT NULL AND done_at < $1) OR received_at < $2`,
		[now - DONE_KEPT_MS, now - OPEN_KEPT_MS],
	);
}
