import type { LanguageCatalogue } from '../language';
import { audienceCondition } from './audience';
import type { IdentityCodec } from './identity-codec';
import { ensureCounter, nextPseudonym, nextPseudonymSql, reservePseudonym } from './pseudonym';
import { SUBSCRIBER_COLUMNS, toRecipient, toSubscriber } from './row-mapping';
import {
	deleteSubscriber,
	findRow,
	findRows,
	insertAudit,
	linkMissing,
	lockIdentity,
	reload,
	requireIdentity,
} from './subscriber-rows';
import { readStatistics } from './sql-statistics';
import type { Row, SqlDriver, SqlExecutor, SqlValue } from './sql-driver';
import {
	EVERYONE,
	type Audience,
	type AuditEvent,
	type ConsentStore,
	type Identity,
	type Recipient,
	type Statistics,
	type SubscribeInput,
	type SubscribeResult,
	type Subscriber,
	type UnsubscribeInput,
	type UnsubscribeResult,
} from './types';
import { InputError } from '../errors';
import { ListEntryError } from './list-entry-error';

const DAY_MS = 86_400_000;

/** The consent half without what the whole store does itself (migrate, close: see index.ts). */
export type ConsentPart = Omit<ConsentStore, 'migrate' | 'close'>;

/**
 * The consent half of the store: subscribers, pseudonyms, audit log, webhook dedupe. A plain object
 * of closures over the driver, so the store is these methods and the ledger's spread side by side.
 */
export function sqlConsent(
	db: SqlDriver,
	codec: IdentityCodec,
	{ pseudonymPrefix, languages }: { pseudonymPrefix: string; languages: LanguageCatalogue },
): ConsentPart {
	let counter: Promise<void> | undefined;

	/** The pseudonym counter exists before the first join (PG: a sequence, created once per store). */
	const counterReady = (): Promise<void> => {
		counter ??= db.transaction((tx) => ensureCounter(tx, pseudonymPrefix));
		counter.catch(() => (counter = undefined));
		return counter;
	};
	const subscribeIn = (tx: SqlExecutor, input: SubscribeInput) =>
		insertSubscriber(tx, codec, pseudonymPrefix, input);

	return {
		async subscribe(input: SubscribeInput): Promise<SubscribeResult> {
			requireIdentity(input.identity);
			await counterReady();
			return db.transaction((tx) => subscribeIn(tx, input));
		},

		/**
		 * Subscribes a whole list (an import) in one transaction: if any entry fails (a pseudonym taken
		 * by someone else, the database going away), nothing of the list is written.
		 */
		async subscribeMany(inputs: SubscribeInput[]): Promise<SubscribeResult[]> {
			inputs.forEach((input, index) => requireIdentity(input.identity, index));
			if (inputs.length === 0) return [];
			await counterReady();
			return db.transaction(async (tx) => {
				const results: SubscribeResult[] = [];
				for (const [index, input] of inputs.entries()) {
					try {
						results.push(await subscribeIn(tx, input));
					} catch (error) {
						if (error instanceof InputError) throw new ListEntryError(index, error.message);
						throw error;
					}
				}
				return results;
			});
		},

		async unsubscribe(identity: Identity, input: UnsubscribeInput): Promise<UnsubscribeResult> {
			requireIdentity(identity);
			return db.transaction(async (tx) => {
				await lockIdentity(tx, codec, identity);
				// A person first known by user ID and later by number can own two rows that could not be
				// linked; withdrawal must remove every one of them.
				const rows = await findRows(tx, codec, identity);
				let result: UnsubscribeResult = { status: 'not_found' };
				for (const row of rows) {
					const deleted = await deleteSubscriber(tx, row, input);
					if (result.status === 'not_found') result = deleted;
				}
				return result;
			});
		},

		async unsubscribePseudonym(
			pseudonym: string,
			input: UnsubscribeInput,
		): Promise<UnsubscribeResult> {
			return db.transaction(async (tx) => {
				const [row] = await tx.all(
					`SELECT ${SUBSCRIBER_COLUMNS} FROM subscribers WHERE pseudonym = $1`,
					[pseudonym],
				);
				return row ? deleteSubscriber(tx, row, input) : { status: 'not_found' };
			});
		},

		async findByIdentity(identity: Identity): Promise<Subscriber | undefined> {
			requireIdentity(identity);
			const row = await findRow(db, codec, identity);
			return row ? toSubscriber(row, codec) : undefined;
		},

		async findByPseudonym(pseudonym: string): Promise<Subscriber | undefined> {
			const [row] = await db.all(
				`SELECT ${SUBSCRIBER_COLUMNS} FROM subscribers WHERE pseudonym = $1`,
				[pseudonym],
			);
			return row ? toSubscriber(row, codec) : undefined;
		},

		async recipientByPseudonym(pseudonym: string): Promise<Recipient | undefined> {
			const [row] = await db.all(
				`SELECT id, pseudonym, language, phone_cipher, user_cipher FROM subscribers WHERE pseudonym = $1`,
				[pseudonym],
			);
			return row ? toRecipient(codec, row) : undefined;
		},

		async countSubscribers(audience: Audience = EVERYONE): Promise<number> {
			const params: SqlValue[] = [];
			const [row] = await db.all(
				`SELECT COUNT(*) AS n FROM subscribers s WHERE ${audienceCondition(audience, params)}`,
				params,
			);
			return Number(row.n);
		},

		statistics(input: { days: number; now?: Date }): Promise<Statistics> {
			return readStatistics(db, input, languages);
		},

		async recordAudit(event: AuditEvent): Promise<void> {
			await insertAudit(db, event);
		},

		async claimEventKeys(
			keys: string[],
			input: { now?: Date; horizonDays?: number } = {},
		): Promise<string[]> {
			if (keys.length === 0) return [];
			const now = (input.now ?? new Date()).getTime();
			const horizon = now - (input.horizonDays ?? 7) * DAY_MS;
			return db.transaction(async (tx) => {
				await tx.run(`DELETE FROM event_keys WHERE seen_at < $1`, [horizon]);
				const fresh = new Set<string>();
				for (const key of new Set(keys)) {
					const rows = await tx.all(
						`INSERT INTO event_keys (key_ref, seen_at) VALUES ($1, $2) ON CONFLICT (key_ref) DO NOTHING RETURNING key_ref`,
						[codec.eventRef(key), now],
					);
					if (rows.length) fresh.add(key);
				}
				return keys.filter((key) => fresh.delete(key));
			});
		},
	};
}

/**
 * Inserts a new subscriber, or links and returns the one this identity already belongs to. Also
 * used by the ordered Start (sql-ordered.ts), inside its own transaction.
 */
export async function insertSubscriber(
	tx: SqlExecutor,
	codec: IdentityCodec,
	pseudonymPrefix: string,
	input: SubscribeInput,
): Promise<SubscribeResult> {
	await lockIdentity(tx, codec, input.identity);
	const existing = await findRow(tx, codec, input.identity);
	if (existing) {
		await linkMissing(tx, codec, existing, input.identity);
		return {
			status: 'existing',
			subscriber: toSubscriber(await reload(tx, Number(existing.id)), codec),
		};
	}
	const at = (input.at ?? new Date()).getTime();
	if (input.pseudonym) {
		const [taken] = await tx.all(`SELECT 1 AS x FROM subscribers WHERE pseudonym = $1`, [
			input.pseudonym,
		]);
		if (taken)
			throw new InputError(
				`The pseudonym "${input.pseudonym}" already belongs to another subscriber: rename it or leave the name empty to get the next free pseudonym`,
			);
		await reservePseudonym(tx, input.pseudonym);
	}
	const pg = tx.dialect === 'postgres';
	// PG draws the number inside the INSERT (COALESCE evaluates it only when no name is given).
	const pseudonym = input.pseudonym ?? (pg ? null : await nextPseudonym(tx, pseudonymPrefix));
	const first = pg ? `COALESCE($1, ${nextPseudonymSql('$13', pseudonymPrefix)})` : '$1';
	const sealed = codec.seal(input.identity);
	const insert = `INSERT INTO subscribers (pseudonym, phone_index, phone_cipher, user_index, user_cipher, language, consent_at, consent_source, consent_keyword, consent_message_cipher, consent_text_version)
		 VALUES (${first}, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${SUBSCRIBER_COLUMNS}`;
	const values = [
		pseudonym,
		sealed.phoneIndex,
		sealed.phoneCipher,
		sealed.userIndex,
		sealed.userCipher,
		input.language,
		at,
		input.source,
		input.keyword ?? null,
		codec.sealConsentMessage(input.messageId),
		input.textVersion,
	];
	const event = input.source === 'import' ? 'imported' : 'joined';
	let row: Row;
	if (pg) {
		// Round trips inside the transaction are what limits joins: number, subscriber and audit
		// line are written by one statement.
		[row] = await tx.all(
			`WITH s AS (${insert}), a AS (INSERT INTO audit_log (at, pseudonym, event, source) SELECT consent_at, pseudonym, $12, consent_source FROM s) SELECT * FROM s`,
			[...values, event, pseudonymPrefix],
		);
	} else {
		[row] = await tx.all(insert, values);
		await insertAudit(tx, {
			at: new Date(at),
			pseudonym: String(pseudonym),
			event,
			source: input.source,
		});
	}
	return { status: 'created', subscriber: toSubscriber(row, codec) };
}
