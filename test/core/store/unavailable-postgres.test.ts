import { openStore, type Store } from '../../../nodes/core/store';
import { PostgresDriver } from '../../../nodes/core/store/postgres-driver';
import { StoreError } from '../../../nodes/core/errors';
import {
	StoreUnavailableError,
	isTransientStoreError,
} from '../../../nodes/core/store/store-errors';
import { findPhoneLeaks } from '../../support/privacy';
import { startTcpRelay, type TcpRelay } from '../../support/tcp-relay';
import { testKeys } from '../../support/test-key';
import { PG, withPgClient } from '../../support/temp-store';

const phoneOf = (n: number) => `49151${String(30_000_000 + n)}`;

async function subscribe(store: Store, n: number): Promise<void> {
	await store.subscribe({
		identity: { phone: phoneOf(n) },
		language: 'de',
		source: 'import',
		textVersion: 'v1',
	});
}

async function thrown(fn: () => Promise<unknown>): Promise<unknown> {
	try {
		await fn();
	} catch (error) {
		return error;
	}
	throw new Error('expected the store call to fail');
}

function expectUnavailable(
	error: unknown,
	kinds: Array<StoreUnavailableError['kind']>,
	words: RegExp,
	phones: string[] = [],
): asserts error is StoreUnavailableError {
	expect(error).toBeInstanceOf(StoreUnavailableError);
	const unavailable = error as StoreUnavailableError;
	expect(kinds).toContain(unavailable.kind);
	expect(unavailable.message).toMatch(words);
	expect(unavailable.message).not.toMatch(/^Error$|INSERT|SELECT|UPDATE/);
	expect(findPhoneLeaks(unavailable.message, phones)).toEqual([]);
}

const schemaName = () => `test_unavail_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const dropSchema = (schema: string) =>
	withPgClient((client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));

describe('PostgreSQL consent store unavailable: the error names the cause', () => {
	const schemas: string[] = [];
	afterAll(async () => {
		for (const schema of schemas) await dropSchema(schema);
	});
	const open = (overrides: Partial<typeof PG>) => {
		const schema = schemaName();
		schemas.push(schema);
		return openStore({ backend: 'postgres', ...PG, ...overrides, schema, keys: testKeys });
	};

	it('nothing listens at the port: refused, worth retrying', async () => {
		const relay = await startTcpRelay({ host: PG.host, port: PG.port });
		await relay.cut();
		const error = await thrown(() => open({ host: '127.0.0.1', port: relay.port }));
		expectUnavailable(
			error,
			['refused'],
			/^Cannot reach PostgreSQL at 127\.0\.0\.1:\d+\/\w+ \(ECONNREFUSED\): the server refuses connections/,
		);
		expect(error.transient).toBe(true);
		expect(isTransientStoreError(error)).toBe(true);
	});

	it('a database that does not exist: database-missing, permanent', async () => {
		const error = await thrown(() => open({ database: 'civic_no_such_database' }));
		expectUnavailable(
			error,
			['database-missing'],
			/^The database at .*\/civic_no_such_database does not exist \(invalid_catalog_name\): create it/,
		);
		expect(error.transient).toBe(false);
	});

	it('a user the server does not let in: auth-refused, permanent', async () => {
		const error = await thrown(() => open({ user: 'civic_no_such_role' }));
		expectUnavailable(error, ['auth-refused'], /refused the login/);
		expect(error.transient).toBe(false);
	});

	it('the server ends the connection while a statement runs (pg_terminate_backend): connection-lost, worth retrying', async () => {
		const schema = schemaName();
		schemas.push(schema);
		const driver = await PostgresDriver.open({ ...PG, schema, maxConnections: 1 });
		try {
			const [{ pid }] = await driver.all('SELECT pg_backend_pid() AS pid');
			const running = driver.all('SELECT pg_sleep(600)').then(
				() => undefined,
				(e: unknown) => e,
			);
			await withPgClient(async (admin) => {
				// Wait for the statement to be running on the server (an event, not a timing).
				for (;;) {
					const { rows } = await admin.query(
						`SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND state = 'active' AND query LIKE '%pg_sleep%'`,
						[pid],
					);
					if (rows.length) break;
					await new Promise((resolve) => setImmediate(resolve));
				}
				await admin.query('SELECT pg_terminate_backend($1)', [pid]);
			});
			const error = await running;
			expectUnavailable(error, ['connection-lost'], /^The connection to PostgreSQL at .* was lost/);
			expect(error.transient).toBe(true);
			// The pool opens a fresh connection: the store is back without anyone doing anything.
			expect(await driver.all('SELECT 1 AS one')).toEqual([{ one: 1 }]);
		} finally {
			await driver.close();
		}
	});

	it('a server that accepts no writes (read_only_sql_transaction): read-only, permanent', async () => {
		const schema = schemaName();
		schemas.push(schema);
		const driver = await PostgresDriver.open({ ...PG, schema, maxConnections: 1 });
		try {
			// What a hot standby answers; here the one pooled connection is switched to read-only.
			await driver.run('SET default_transaction_read_only = on');
			const error = await thrown(() => driver.run('CREATE TABLE t (x int)'));
			expectUnavailable(error, ['read-only'], /accepts no writes \(read_only_sql_transaction\)/);
			expect(error.transient).toBe(false);
		} finally {
			await driver.close();
		}
	});

	it('no connection slot left (too_many_connections): worth retrying', async () => {
		const role = `civic_limit_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
		await withPgClient((admin) => admin.query(`CREATE ROLE ${role} LOGIN CONNECTION LIMIT 0`));
		try {
			const error = await thrown(() => open({ user: role }));
			expectUnavailable(
				error,
				['too-many-connections'],
				/has no free connection \(too_many_connections\)/,
			);
			expect(error.transient).toBe(true);
		} finally {
			await withPgClient((admin) => admin.query(`DROP ROLE ${role}`));
		}
	});

	it('errors that are not about availability keep their own path', async () => {
		const schema = schemaName();
		schemas.push(schema);
		const driver = await PostgresDriver.open({ ...PG, schema });
		try {
			const error = await thrown(() => driver.all('SELECT * FROM no_such_table'));
			expect(error).toBeInstanceOf(StoreError);
			expect(error).not.toBeInstanceOf(StoreUnavailableError);
			expect((error as Error).message).toMatch(/failed \(SQLSTATE 42P01\)/);
		} finally {
			await driver.close();
		}
	});
});

describe('PostgreSQL goes down under an open store, then comes back', () => {
	let relay: TcpRelay;
	let store: Store;
	const schema = schemaName();
	beforeAll(async () => {
		relay = await startTcpRelay({ host: PG.host, port: PG.port });
		store = await openStore({
			backend: 'postgres',
			...PG,
			host: '127.0.0.1',
			port: relay.port,
			schema,
			keys: testKeys,
		});
	});
	afterAll(async () => {
		await store.close();
		await relay.close();
		await dropSchema(schema);
	});

	it('every call fails with a cause in words while it is down, and works again once it is back', async () => {
		await subscribe(store, 1);
		await relay.cut();
		// The pool's open connection has just ended (lost) or a new one is refused: both say why.
		const first = await thrown(() => subscribe(store, 2));
		expectUnavailable(first, ['connection-lost', 'refused'], /PostgreSQL at 127\.0\.0\.1:\d+/, [
			phoneOf(1),
			phoneOf(2),
		]);
		expect(first.transient).toBe(true);
		const second = await thrown(() => subscribe(store, 2));
		expectUnavailable(second, ['refused'], /the server refuses connections/, [phoneOf(2)]);
		await relay.restore();
		await subscribe(store, 2);
		expect((await store.statistics({ days: 1 })).subscribers).toBe(2);
	});
});
