import { InputError } from '../errors';
import type { IdentityCodec } from './identity-codec';
import { ListEntryError } from './list-entry-error';
import { SUBSCRIBER_COLUMNS } from './row-mapping';
import type { Row, SqlExecutor } from './sql-driver';
import type { AuditEvent, Identity, Language, UnsubscribeInput, UnsubscribeResult } from './types';

/** Statements on single subscriber rows, shared by the consent half of the store. */

export function requireIdentity(identity: Identity, index?: number): void {
	if (identity.phone || identity.userId) return;
	const message = 'A phone number or WhatsApp user ID is needed to identify a person';
	throw index === undefined ? new InputError(message) : new ListEntryError(index, message);
}

/** PG: serialise all work on one person across workers (SQLite's writer lock already does). */
export async function lockIdentity(
	tx: SqlExecutor,
	codec: IdentityCodec,
	identity: Identity,
): Promise<void> {
	if (tx.dialect !== 'postgres') return;
	const { phoneIndex, userIndex } = codec.indexes(identity);
	for (const index of [phoneIndex, userIndex].filter((i): i is string => i !== null).sort()) {
		await tx.all(`SELECT pg_advisory_xact_lock(hashtext($1))`, [index]);
	}
}

export async function findRows(
	db: SqlExecutor,
	codec: IdentityCodec,
	identity: Identity,
): Promise<Row[]> {
	const { phoneIndex, userIndex } = codec.indexes(identity);
	return db.all(
		`SELECT ${SUBSCRIBER_COLUMNS} FROM subscribers WHERE phone_index = $1 OR user_index = $2 ORDER BY id`,
		[phoneIndex, userIndex],
	);
}

export async function findRow(
	db: SqlExecutor,
	codec: IdentityCodec,
	identity: Identity,
): Promise<Row | undefined> {
	return (await findRows(db, codec, identity))[0];
}

export async function reload(tx: SqlExecutor, id: number): Promise<Row> {
	const [row] = await tx.all(`SELECT ${SUBSCRIBER_COLUMNS} FROM subscribers WHERE id = $1`, [id]);
	return row;
}

/** A person known by number who now also shows a user ID (or the other way round) gets both linked. */
export async function linkMissing(
	tx: SqlExecutor,
	codec: IdentityCodec,
	row: Row,
	identity: Identity,
): Promise<void> {
	const sealed = codec.seal(identity);
	if (identity.phone && !row.phone_index) {
		await tx.run(
			`UPDATE subscribers SET phone_index = $1, phone_cipher = $2 WHERE id = $3 AND NOT EXISTS (SELECT 1 FROM subscribers WHERE phone_index = $1)`,
			[sealed.phoneIndex, sealed.phoneCipher, Number(row.id)],
		);
	}
	if (identity.userId && !row.user_index) {
		await tx.run(
			`UPDATE subscribers SET user_index = $1, user_cipher = $2 WHERE id = $3 AND NOT EXISTS (SELECT 1 FROM subscribers WHERE user_index = $1)`,
			[sealed.userIndex, sealed.userCipher, Number(row.id)],
		);
	}
}

export async function deleteSubscriber(
	tx: SqlExecutor,
	row: Row,
	input: UnsubscribeInput,
	event: 'left' | 'removed_undeliverable' = 'left',
): Promise<UnsubscribeResult> {
	const id = Number(row.id);
	const pseudonym = String(row.pseudonym);
	const at = (input.at ?? new Date()).getTime();
	if (tx.dialect === 'postgres') {
		await tx.run(
			`WITH d AS (DELETE FROM deliveries WHERE subscriber_id = $1), s AS (DELETE FROM subscribers WHERE id = $1 RETURNING pseudonym)
			 INSERT INTO audit_log (at, pseudonym, event, source) SELECT $2, pseudonym, $4, $3 FROM s`,
			[id, at, input.source, event],
		);
	} else {
		await tx.run(`DELETE FROM deliveries WHERE subscriber_id = $1`, [id]);
		await tx.run(`DELETE FROM subscribers WHERE id = $1`, [id]);
		await insertAudit(tx, { at: new Date(at), pseudonym, event, source: input.source });
	}
	return { status: 'deleted', pseudonym, language: row.language as Language };
}

export async function insertAudit(db: SqlExecutor, event: AuditEvent): Promise<void> {
	await db.run(`INSERT INTO audit_log (at, pseudonym, event, source) VALUES ($1, $2, $3, $4)`, [
		event.at.getTime(),
		event.pseudonym,
		event.event,
		event.source,
	]);
}
