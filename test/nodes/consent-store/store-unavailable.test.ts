import type { INodeExecutionData } from 'n8n-workflow';

import { openSqlite } from '../../../nodes/core/store/sqlite-driver';
import type { SqlDriver } from '../../../nodes/core/store/sql-driver';
import { closeAllStores } from '../../../nodes/shared/store-cache';
import { findPhoneLeaks } from '../../support/privacy';
import { startTcpRelay, type TcpRelay } from '../../support/tcp-relay';
import { PG, tempPostgres, tempSqlite, type TempStore } from '../../support/temp-store';
import { messageItem, NODE, runConsentStore } from './support';

const phoneOf = (n: number) => `49151${String(40_000_000 + n)}`;
const starts = (from: number, count: number): INodeExecutionData[] =>
	Array.from({ length: count }, (_, i) => messageItem(phoneOf(from + i), { text: 'start' }));

/** What staff see of a failed run: the message and description, and everything else n8n kept. */
function shown(error: Error | undefined): { message: string; description: string; all: string } {
	const { message, description } = error as Error & { description?: string };
	return {
		message,
		description: description ?? '',
		all: JSON.stringify(error, Object.getOwnPropertyNames(error ?? {})),
	};
}

describe('Consent Store node: an unavailable store names the cause for staff', () => {
	let db: TempStore;
	let raw: SqlDriver | undefined;
	let relay: TcpRelay | undefined;
	afterEach(async () => {
		await raw?.close();
		await relay?.close();
		raw = relay = undefined;
		await db.dispose();
	});

	it('SQLite file full: Process Message fails with "full", not a generic error, and no number', async () => {
		const sqlite = tempSqlite();
		db = sqlite;
		const first = await runConsentStore(
			{ operation: 'processMessage' },
			starts(1, 1),
			sqlite.credential,
		);
		expect(first.error).toBeUndefined();
		// The node's cached store and this handle share one connection: the file may grow no more.
		raw = openSqlite(sqlite.file);
		const [{ page_count }] = await raw.all('PRAGMA page_count');
		await raw.all(`PRAGMA max_page_count = ${Number(page_count)}`);
		const items = starts(2, 300);
		const run = await runConsentStore({ operation: 'processMessage' }, items, sqlite.credential);
		const error = shown(run.error);
		expect(error.message).toMatch(
			/^The consent store's SQLite file ".*consent\.sqlite" cannot grow: the disk or volume that holds it is full \(SQLITE_FULL\)/,
		);
		expect(error.description).toMatch(
			/^StoreUnavailableError \(disk-full\): needs someone to fix it/,
		);
		expect(error.message).not.toMatch(/Unexpected internal error/);
		const phones = Array.from({ length: 301 }, (_, i) => phoneOf(i + 1));
		expect(findPhoneLeaks(error.all, phones)).toEqual([]);
		// The search would find a number that was there.
		expect(findPhoneLeaks(`${error.all} +${phoneOf(7)}`, phones)).not.toEqual([]);
	});

	it('PostgreSQL goes down between executions: the error says it refuses or dropped the connection, and a later run works', async () => {
		db = tempPostgres();
		relay = await startTcpRelay({ host: PG.host, port: PG.port });
		const credential = { ...db.credential, host: '127.0.0.1', port: relay.port };
		const statistics = () =>
			runConsentStore({ operation: 'statistics', days: 1 }, [{ json: {} }], credential);
		expect(
			(await runConsentStore({ operation: 'processMessage' }, starts(1, 1), credential)).error,
		).toBeUndefined();
		await relay.cut();
		const down = shown(
			(await runConsentStore({ operation: 'processMessage' }, starts(2, 1), credential)).error,
		);
		expect(down.message).toMatch(
			/^(Cannot reach PostgreSQL at 127\.0\.0\.1:\d+\/\w+ \(ECONNREFUSED\): the server refuses connections|The connection to PostgreSQL at 127\.0\.0\.1:\d+\/\w+ was lost)/,
		);
		expect(down.description).toMatch(
			/^StoreUnavailableError \((refused|connection-lost)\): usually passes/,
		);
		expect(findPhoneLeaks(down.all, [phoneOf(1), phoneOf(2)])).toEqual([]);
		// A store that could not be opened is not cached, so the next execution tries again.
		await closeAllStores();
		const stillDown = shown((await statistics()).error);
		expect(stillDown.message).toMatch(/^Cannot reach PostgreSQL at .*\(ECONNREFUSED\)/);
		await relay.restore();
		const back = await statistics();
		expect(back.error).toBeUndefined();
		expect(back.json(NODE)[0]).toMatchObject({ subscribers: 1 });
	});
});
