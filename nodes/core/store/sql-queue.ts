import { ConfigError } from '../errors';
import type { Row, SqlDriver } from './sql-driver';
import type {
	Audience,
	BroadcastQueue,
	BroadcastState,
	EnqueueInput,
	EnqueueResult,
	QueuedBroadcast,
	QueuedSettings,
} from './types';

const COLUMNS = `id, key, title, sender, message_json, audience_json, settings_json, priority, state, created_at, runs, abort_reason`;

/**
 * The broadcast queue: broadcasts as durable rows (message, audience, priority, sending number)
 * and one sending lease per number. The ledger (sql-ledger.ts) keeps who was sent what.
 */
export function sqlQueue(db: SqlDriver): BroadcastQueue {
	const byId = async (id: number) => {
		const [row] = await db.all(`SELECT ${COLUMNS} FROM broadcasts WHERE id = $1`, [id]);
		return row ? toQueued(row) : undefined;
	};
	return {
		async enqueueBroadcast(input: EnqueueInput): Promise<EnqueueResult> {
			const at = (input.at ?? new Date()).getTime();
			const inserted = await db.all(
				`INSERT INTO broadcasts (key, title, created_at, sender, message_json, audience_json, settings_json, priority, state)
				 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'queued') ON CONFLICT (key) DO NOTHING RETURNING ${COLUMNS}`,
				[
					input.key,
					input.title ?? null,
					at,
					input.sender,
					JSON.stringify(input.message),
					JSON.stringify(input.audience),
					JSON.stringify(input.settings),
					input.priority,
				],
			);
			if (inserted.length > 0)
				return { broadcast: toQueued(inserted[0]), created: true, requeued: false };
			// A rerun: the key keeps what it was first posted with (its ledger rows were written for
			// that message); a broadcast from before the queue learns its sender and message now.
			const requeued = await db.run(
				`UPDATE broadcasts SET state = 'queued', abort_reason = NULL, finished_at = NULL,
				 sender = COALESCE(sender, $2), message_json = COALESCE(message_json, $3),
				 audience_json = COALESCE(audience_json, $4), settings_json = COALESCE(settings_json, $5),
				 priority = $6
				 WHERE key = $1 AND state <> 'queued'`,
				[
					input.key,
					input.sender,
					JSON.stringify(input.message),
					JSON.stringify(input.audience),
					JSON.stringify(input.settings),
					input.priority,
				],
			);
			const [row] = await db.all(`SELECT ${COLUMNS} FROM broadcasts WHERE key = $1`, [input.key]);
			return { broadcast: toQueued(row), created: false, requeued: requeued > 0 };
		},

		queuedBroadcast: byId,

		async nextQueued(sender: string): Promise<QueuedBroadcast | undefined> {
			const [row] = await db.all(
				`SELECT ${COLUMNS} FROM broadcasts WHERE sender = $1 AND state = 'queued' ORDER BY priority DESC, id ASC LIMIT 1`,
				[sender],
			);
			return row ? toQueued(row) : undefined;
		},

		async countQueuedAbove(sender: string, priority: number): Promise<number> {
			const [row] = await db.all(
				`SELECT COUNT(*) AS n FROM broadcasts WHERE sender = $1 AND state = 'queued' AND priority > $2`,
				[sender, priority],
			);
			return Number(row.n);
		},

		async startRun(id: number): Promise<number> {
			const [row] = await db.all(
				`UPDATE broadcasts SET runs = runs + 1 WHERE id = $1 RETURNING runs`,
				[id],
			);
			return row ? Number(row.runs) : 0;
		},

		async finishBroadcast(id, outcome): Promise<void> {
			await db.run(
				`UPDATE broadcasts SET state = $2, abort_reason = $3, finished_at = $4 WHERE id = $1 AND state = 'queued'`,
				[id, outcome.state, outcome.state === 'aborted' ? outcome.reason : null, Date.now()],
			);
		},

		async claimSender(sender: string, owner: string, until: Date): Promise<boolean> {
			const changed = await db.run(
				`INSERT INTO sender_leases (sender, owner, lease_until) VALUES ($1, $2, $3)
				 ON CONFLICT (sender) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until
				 WHERE sender_leases.owner IS NULL OR sender_leases.owner = excluded.owner OR sender_leases.lease_until < $4`,
				[sender, owner, until.getTime(), Date.now()],
			);
			return changed > 0;
		},

		async takeReplySlot(sender: string, second: number, limit: number): Promise<boolean> {
			// Expressions in SET read the row as it was, on both backends.
			const changed = await db.run(
				`INSERT INTO sender_leases (sender, owner, lease_until, reply_second, reply_count) VALUES ($1, NULL, 0, $2, 1)
				 ON CONFLICT (sender) DO UPDATE SET
				   reply_count = CASE WHEN sender_leases.reply_second = excluded.reply_second THEN sender_leases.reply_count + 1 ELSE 1 END,
				   reply_second = excluded.reply_second
				 WHERE sender_leases.reply_second <> excluded.reply_second OR sender_leases.reply_count < $3`,
				[sender, second, limit],
			);
			return changed > 0;
		},

		async releaseSender(sender: string, owner: string): Promise<void> {
			await db.run(
				`UPDATE sender_leases SET owner = NULL, lease_until = 0 WHERE sender = $1 AND owner = $2`,
				[sender, owner],
			);
		},
	};
}

const STATES: readonly BroadcastState[] = ['queued', 'done', 'aborted', 'cancelled'];

function toQueued(row: Row): QueuedBroadcast {
	const state = String(row.state) as BroadcastState;
	if (!STATES.includes(state))
		throw new ConfigError(
			`Broadcast "${String(row.key)}" is in a state this version does not know ("${state}"): update the package on every n8n process`,
		);
	return {
		id: Number(row.id),
		key: String(row.key),
		title: (row.title as string | null) ?? null,
		sender: (row.sender as string | null) ?? '',
		message: parseJson(row.message_json, null),
		audience: readAudience(row),
		priority: Number(row.priority ?? 0),
		settings: parseJson<QueuedSettings>(row.settings_json, { policy: 'at-least-once' }),
		state,
		createdAt: new Date(Number(row.created_at)),
		runs: Number(row.runs ?? 0),
		abortReason: (row.abort_reason as string | null) ?? null,
	};
}

function readAudience(row: Row): Audience {
	const audience = parseJson<Audience>(row.audience_json, { kind: 'everyone' });
	if (audience.kind !== 'everyone')
		throw new ConfigError(
			`Broadcast "${String(row.key)}" has an audience this version does not know: update the package on every n8n process`,
		);
	return audience;
}

function parseJson<T>(value: unknown, fallback: T): T {
	return typeof value === 'string' && value !== '' ? (JSON.parse(value) as T) : fallback;
}
