import type { SqlDriver } from './sql-driver';

/**
 * Versioned schema changes, applied once each, in order, inside a transaction that also holds a
 * lock, so two workers starting at once cannot both apply one. Never edit a released migration:
 * add the next version.
 */
interface Migration {
	version: number;
	sqlite: string[];
	postgres: string[];
}

const shared = (idType: string, blobType: string) => [
	`CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)`,
	`CREATE TABLE subscribers (
		id ${idType},
		pseudonym TEXT NOT NULL UNIQUE,
		phone_index TEXT UNIQUE,
		phone_cipher ${blobType},
		user_index TEXT UNIQUE,
		user_cipher ${blobType},
		language TEXT NOT NULL,
		consent_at BIGINT NOT NULL,
		consent_source TEXT NOT NULL,
		consent_keyword TEXT,
		consent_message_cipher ${blobType},
		consent_text_version TEXT NOT NULL,
		CHECK (phone_index IS NOT NULL OR user_index IS NOT NULL)
	)`,
	`CREATE TABLE broadcasts (id ${idType}, key TEXT NOT NULL UNIQUE, title TEXT, created_at BIGINT NOT NULL)`,
	`CREATE TABLE deliveries (
		broadcast_id BIGINT NOT NULL REFERENCES broadcasts(id) ON DELETE CASCADE,
		subscriber_id BIGINT NOT NULL,
		state TEXT NOT NULL,
		message_ref TEXT,
		error_code INTEGER,
		status TEXT,
		status_rank INTEGER NOT NULL DEFAULT 0,
		updated_at BIGINT NOT NULL,
		PRIMARY KEY (broadcast_id, subscriber_id)
	)`,
	`CREATE UNIQUE INDEX deliveries_message_ref ON deliveries (message_ref)`,
	`CREATE INDEX deliveries_subscriber ON deliveries (subscriber_id)`,
	`CREATE TABLE event_keys (key_ref TEXT PRIMARY KEY, seen_at BIGINT NOT NULL)`,
	`CREATE INDEX event_keys_seen_at ON event_keys (seen_at)`,
	`CREATE TABLE audit_log (id ${idType}, at BIGINT NOT NULL, pseudonym TEXT NOT NULL, event TEXT NOT NULL, source TEXT NOT NULL)`,
	`CREATE INDEX audit_log_at ON audit_log (at)`,
];

const MIGRATIONS: Migration[] = [
	{
		version: 1,
		// AUTOINCREMENT / identity columns: ids are never reused, so keyset pages stay stable.
		sqlite: shared('INTEGER PRIMARY KEY AUTOINCREMENT', 'BLOB'),
		postgres: shared('BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY', 'BYTEA'),
	},
	{
		// A value encrypted with the store's key, so that a wrong key is refused when opening.
		version: 2,
		sqlite: [`CREATE TABLE key_check (id INTEGER PRIMARY KEY, check_cipher BLOB NOT NULL)`],
		postgres: [`CREATE TABLE key_check (id INTEGER PRIMARY KEY, check_cipher BYTEA NOT NULL)`],
	},
	{
		// A sending lease per broadcast: two executions of the same key must not send at once (the
		// second one's crash recovery would otherwise settle the first one's sends in flight).
		version: 3,
		sqlite: [
			`ALTER TABLE broadcasts ADD COLUMN lease_owner TEXT`,
			`ALTER TABLE broadcasts ADD COLUMN lease_until BIGINT`,
		],
		postgres: [
			`ALTER TABLE broadcasts ADD COLUMN lease_owner TEXT`,
			`ALTER TABLE broadcasts ADD COLUMN lease_until BIGINT`,
		],
	},
	{
		// One event reference everywhere (privacy/keys.ts `eventRef`, 22 characters): the store kept
		// the whole 43-character blind index, the workflow's static data its first 22. The short
		// form is a prefix of the long one, so cutting the stored refs keeps every remembered event
		// recognised across the upgrade (a redelivery within the 7 days still finds its row).
		version: 4,
		sqlite: [`UPDATE event_keys SET key_ref = substr(key_ref, 1, 22) WHERE length(key_ref) > 22`],
		postgres: [`UPDATE event_keys SET key_ref = substr(key_ref, 1, 22) WHERE length(key_ref) > 22`],
	},
	{
		// The durable inbox (sql-inbox.ts): a citizen's message is kept, encrypted, from the webhook's
		// 200 until Process Message applied it, so an execution n8n fails to start loses nothing.
		// `consent_clock` holds the Meta timestamp of the last Start or Stop applied per blind index,
		// so a late older message never overrides a newer one (sql-ordered.ts); for someone who left
		// it is the tombstone, pruned after 7 days.
		version: 5,
		sqlite: inboxMigration('BLOB'),
		postgres: inboxMigration('BYTEA'),
	},
	{
		// The broadcast queue (nodes/core/broadcast/queue.ts): a broadcast is a durable row with its
		// message, audience, priority and sending number before the first send, so it outlives the
		// execution that posted it; one sending loop per number holds `sender_leases`. Broadcasts of
		// earlier versions were sent in their execution: they count as finished.
		version: 6,
		sqlite: queueMigration(),
		postgres: queueMigration(),
	},
	{
		// Data minimisation and staff's inbox (issue 12, points 5 and 6). `undeliverable_streak`:
		// consecutive broadcasts whose send to this subscriber failed as undeliverable, and the last
		// broadcast that changed it (sql-undeliverable.ts). `staff_forwards`: per blind index (never
		// a number), messages forwarded to staff in the person's current hour and those held back
		// since the last summary; `staff_summary`: when staff last got one (sql-staff-limit.ts).
		version: 7,
		sqlite: limitsMigration(),
		postgres: limitsMigration(),
	},
];

function limitsMigration(): string[] {
	return [
		`ALTER TABLE subscribers ADD COLUMN undeliverable_streak INTEGER NOT NULL DEFAULT 0`,
		`ALTER TABLE subscribers ADD COLUMN undeliverable_broadcast BIGINT`,
		`CREATE TABLE staff_forwards (identity_index TEXT PRIMARY KEY, window_start BIGINT NOT NULL, forwarded INTEGER NOT NULL DEFAULT 0, held INTEGER NOT NULL DEFAULT 0)`,
		`CREATE TABLE staff_summary (id INTEGER PRIMARY KEY, last_at BIGINT NOT NULL)`,
	];
}

function inboxMigration(blobType: string): string[] {
	return [
		`CREATE TABLE inbox (
			ref TEXT PRIMARY KEY,
			item_cipher ${blobType},
			sent_at BIGINT NOT NULL,
			received_at BIGINT NOT NULL,
			emitted_at BIGINT NOT NULL,
			done_at BIGINT,
			attempts INTEGER NOT NULL DEFAULT 0
		)`,
		`CREATE INDEX inbox_open ON inbox (done_at, emitted_at)`,
		`CREATE INDEX inbox_received ON inbox (received_at)`,
		`CREATE TABLE consent_clock (identity_index TEXT PRIMARY KEY, last_at BIGINT NOT NULL, last_action TEXT NOT NULL)`,
		`CREATE INDEX consent_clock_last_at ON consent_clock (last_at)`,
	];
}

function queueMigration(): string[] {
	return [
		`ALTER TABLE broadcasts ADD COLUMN sender TEXT`,
		`ALTER TABLE broadcasts ADD COLUMN message_json TEXT`,
		`ALTER TABLE broadcasts ADD COLUMN audience_json TEXT`,
		`ALTER TABLE broadcasts ADD COLUMN settings_json TEXT`,
		`ALTER TABLE broadcasts ADD COLUMN priority INTEGER NOT NULL DEFAULT 0`,
		`ALTER TABLE broadcasts ADD COLUMN state TEXT NOT NULL DEFAULT 'done'`,
		`ALTER TABLE broadcasts ADD COLUMN runs INTEGER NOT NULL DEFAULT 0`,
		`ALTER TABLE broadcasts ADD COLUMN finished_at BIGINT`,
		`ALTER TABLE broadcasts ADD COLUMN abort_reason TEXT`,
		`CREATE INDEX broadcasts_queue ON broadcasts (sender, state, priority, id)`,
		// The reply counter shares the row: replies from any process stay within the share of the
		// number's rate the sending loop leaves free.
		`CREATE TABLE sender_leases (sender TEXT PRIMARY KEY, owner TEXT, lease_until BIGINT NOT NULL, reply_second BIGINT NOT NULL DEFAULT 0, reply_count INTEGER NOT NULL DEFAULT 0)`,
	];
}

export const LATEST_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

export async function migrate(driver: SqlDriver): Promise<number[]> {
	return driver.transaction(async (tx) => {
		if (tx.dialect === 'postgres') {
			// One migrator per schema at a time; the lock ends with the transaction.
			await tx.all(`SELECT pg_advisory_xact_lock(hashtext(current_schema()))`);
		}
		await tx.run(
			`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`,
		);
		const done = new Set(
			(await tx.all(`SELECT version FROM schema_migrations`)).map((r) => Number(r.version)),
		);
		const applied: number[] = [];
		for (const migration of MIGRATIONS) {
			if (done.has(migration.version)) continue;
			for (const statement of migration[tx.dialect]) await tx.run(statement);
			await tx.run(`INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)`, [
				migration.version,
				Date.now(),
			]);
			applied.push(migration.version);
		}
		return applied;
	});
}
