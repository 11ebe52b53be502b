import type { IdentityCodec } from './identity-codec';
import { ensureCounter } from './pseudonym';
import { insertSubscriber } from './sql-consent';
import type { Row, SqlDriver, SqlExecutor } from './sql-driver';
import { closeInboxRow } from './sql-inbox';
import { deleteSubscriber, findRows, lockIdentity, requireIdentity } from './subscriber-rows';
import type {
	Identity,
	MessageOrigin,
	NotApplied,
	OrderedConsent,
	SubscribeInput,
	SubscribeResult,
	UnsubscribeInput,
	UnsubscribeResult,
} from './types';

/** Meta retries for 7 days: nothing older can still arrive, so the clock forgets it then. */
const CLOCK_KEPT_MS = 7 * 86_400_000;

type Action = 'join' | 'leave';

/**
 * Start and Stop from WhatsApp applied in Meta's timestamp order (see `OrderedConsent` in
 * types.ts). Each call is one transaction: the person's lock (PostgreSQL), the inbox row, the
 * clock check, the change itself and the new clock value.
 */
export function sqlOrdered(
	db: SqlDriver,
	codec: IdentityCodec,
	pseudonymPrefix: string,
): OrderedConsent {
	let counter: Promise<void> | undefined;
	/** The pseudonym counter exists before the first join (PG: a sequence; see pseudonym.ts). */
	const counterReady = (): Promise<void> => {
		counter ??= db.transaction((tx) => ensureCounter(tx, pseudonymPrefix));
		counter.catch(() => (counter = undefined));
		return counter;
	};

	return {
		async subscribeInOrder(
			input: SubscribeInput,
			origin: MessageOrigin,
		): Promise<SubscribeResult | NotApplied> {
			requireIdentity(input.identity);
			await counterReady();
			return db.transaction(async (tx) => {
				await lockIdentity(tx, codec, input.identity);
				const rows = await findRows(tx, codec, input.identity);
				const refused = await admit(tx, indexesOf(codec, input.identity, rows), 'join', origin);
				if (refused) return refused;
				return insertSubscriber(tx, codec, pseudonymPrefix, {
					...input,
					at: input.at ?? origin.at,
				});
			});
		},

		async unsubscribeInOrder(
			identity: Identity,
			input: UnsubscribeInput,
			origin: MessageOrigin,
		): Promise<UnsubscribeResult | NotApplied> {
			requireIdentity(identity);
			return db.transaction(async (tx) => {
				await lockIdentity(tx, codec, identity);
				const rows = await findRows(tx, codec, identity);
				const refused = await admit(tx, indexesOf(codec, identity, rows), 'leave', origin);
				if (refused) return refused;
				// Every row of the person goes, as in `unsubscribe` (number and user ID not yet linked).
				let result: UnsubscribeResult = { status: 'not_found' };
				for (const row of rows) {
					const deleted = await deleteSubscriber(tx, row, { ...input, at: input.at ?? origin.at });
					if (result.status === 'not_found') result = deleted;
				}
				return result;
			});
		},
	};
}

/**
 * Closes the message's inbox row and decides whether the message may change anything: not when
 * the row was closed before (applied by another execution), nor when a later Start or Stop of the
 * person was applied (a Stop also wins a tie: with equal timestamps the order is unknown, and
 * writing to someone who may have withdrawn is the worse mistake). Otherwise the clock moves on.
 */
async function admit(
	tx: SqlExecutor,
	indexes: string[],
	action: Action,
	origin: MessageOrigin,
): Promise<NotApplied | undefined> {
	const now = Date.now();
	const at = origin.at.getTime();
	if (origin.inboxRef && (await closeInboxRow(tx, origin.inboxRef, now)) === 'done_before')
		return { status: 'already_done' };
	await tx.run(`DELETE FROM consent_clock WHERE last_at < $1`, [Math.min(now, at) - CLOCK_KEPT_MS]);
	const placeholders = indexes.map((_, i) => `$${i + 1}`).join(', ');
	const rows = await tx.all(
		`SELECT last_at, last_action FROM consent_clock WHERE identity_index IN (${placeholders})`,
		indexes,
	);
	for (const row of rows) {
		const lastAt = Number(row.last_at);
		if (at < lastAt) return { status: 'stale' };
		if (at === lastAt && action === 'join' && row.last_action === 'leave')
			return { status: 'stale' };
	}
	for (const index of indexes) {
		await tx.run(
			`INSERT INTO consent_clock (identity_index, last_at, last_action) VALUES ($1, $2, $3)
			 ON CONFLICT (identity_index) DO UPDATE SET last_at = excluded.last_at, last_action = excluded.last_action`,
			[index, at, action],
		);
	}
	return undefined;
}

/**
 * The blind indexes a message of this person is ordered by: those it came with and those of their
 * subscriber rows (a Stop by user ID also leaves the tombstone under the number it was linked to).
 */
function indexesOf(codec: IdentityCodec, identity: Identity, rows: Row[]): string[] {
	const { phoneIndex, userIndex } = codec.indexes(identity);
	const all = [phoneIndex, userIndex, ...rows.flatMap((row) => [row.phone_index, row.user_index])];
	return [...new Set(all.filter((i): i is string => typeof i === 'string' && i !== ''))];
}
