import { DatabaseSync } from 'node:sqlite';

import { blindIndex } from '../../../nodes/core/privacy/keys';
import { eventKey } from '../../../nodes/core/webhook';
import { testKeys } from '../../support/test-key';
import {
	tempPostgres,
	tempSqlite,
	withPgClient,
	type TempPostgres,
	type TempSqlite,
} from '../../support/temp-store';

const NOW = new Date('2026-11-22T10:00:00Z');
const KEY = eventKey({
	kind: 'status',
	phoneNumberId: '100000000000001',
	messageId: 'wamid.remembered-before-the-upgrade',
	status: 'delivered',
	timestamp: 1_795_000_000,
	errors: [],
});
/** How the store remembered an event before migration 4: the whole 43-character blind index. */
const FULL_REF = blindIndex(testKeys, 'event', KEY);

/**
 * Makes migration 4 due again, with one event remembered in the old form, as a store that ran the
 * earlier release would hold it. Only version 4 is forgotten: later migrations create tables and
 * columns, which cannot be created twice.
 */
async function rewind(db: TempSqlite | TempPostgres): Promise<void> {
	const statements = [
		`DELETE FROM schema_migrations WHERE version = 4`,
		`INSERT INTO event_keys (key_ref, seen_at) VALUES ('${FULL_REF}', ${NOW.getTime()})`,
	];
	if (db.backend === 'sqlite') {
		const raw = new DatabaseSync(db.file);
		for (const sql of statements) raw.exec(sql);
		raw.close();
		return;
	}
	await withPgClient(async (client) => {
		for (const sql of statements) await client.query(`SET search_path TO ${db.schema}; ${sql}`);
	});
}

describe.each([
	['SQLite', tempSqlite],
	['PostgreSQL', tempPostgres],
] as const)('event refs remembered before the upgrade (%s)', (_, make) => {
	let db: TempSqlite | TempPostgres;
	beforeEach(() => (db = make()));
	afterEach(() => db.dispose());

	it('still mark a redelivered event as a duplicate after migration 4', async () => {
		const first = await db.open();
		await first.close();
		await rewind(db);
		const upgraded = await db.open();
		const later = new Date(NOW.getTime() + 60_000);
		expect(await upgraded.claimEventKeys([KEY, 'm:wamid.new'], { now: later })).toEqual([
			'm:wamid.new',
		]);
		expect(await db.count('event_keys')).toBe(2);
	});
});
