import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { Client } from 'pg';

import type { LanguageCatalogue } from '../../nodes/core/language';
import type { PrivacyKeys } from '../../nodes/core/privacy/keys';
import { openStore, type Store } from '../../nodes/core/store';
import { closeAllStores } from '../../nodes/shared/store-cache';
import { TEST_KEY, testKeys } from './test-key';

/**
 * The database every PostgreSQL test and benchmark uses, each in a schema of its own:
 * 127.0.0.1:5432, database `test`, user `postgres` without a password, unless PGHOST, PGPORT,
 * PGDATABASE, PGUSER or PGPASSWORD say otherwise.
 */
export const PG = {
	host: process.env.PGHOST || '127.0.0.1',
	port: Number(process.env.PGPORT || 5432),
	database: process.env.PGDATABASE || 'test',
	user: process.env.PGUSER || 'postgres',
	password: process.env.PGPASSWORD || undefined,
};

export interface OpenOptions {
	keys?: PrivacyKeys;
	pseudonymPrefix?: string;
	/** The languages the store's statistics list; the service's catalogue unless given. */
	languages?: LanguageCatalogue;
}

/**
 * A database of a test's own: a SQLite file in a temporary folder, or a PostgreSQL schema of its
 * own. Opens real stores on it, serves it to nodes as a credential, and shows every stored byte.
 */
export interface TempStore {
	readonly backend: 'sqlite' | 'postgres';
	/** The Consent Store Database credential for this database, with the test key. */
	readonly credential: ICredentialDataDecryptedObject;
	/** Opens a store on it (test keys unless others are given); `dispose` closes it. */
	open(options?: OpenOptions): Promise<Store>;
	/** Every stored byte as text: the raw SQLite files, or every PostgreSQL row as JSON. */
	rawContents(): Promise<string>;
	/** Rows in one table, read past the store, for checks the store does not expose. */
	count(table: string): Promise<number>;
	/** Closes the stores opened here and those the nodes cached, then removes the database. */
	dispose(): Promise<void>;
}

export interface TempSqlite extends TempStore {
	readonly backend: 'sqlite';
	readonly file: string;
}

export interface TempPostgres extends TempStore {
	readonly backend: 'postgres';
	readonly schema: string;
}

/** Opened stores, closed in `dispose` whatever a test left open. */
function storeOpener(open: (options: OpenOptions) => Promise<Store>) {
	const opened: Store[] = [];
	return {
		async open(options: OpenOptions = {}): Promise<Store> {
			const store = await open(options);
			opened.push(store);
			return store;
		},
		async closeAll(): Promise<void> {
			for (const store of opened) await store.close().catch(() => undefined);
			await closeAllStores();
		},
	};
}

export function tempSqlite(): TempSqlite {
	const dir = mkdtempSync(path.join(tmpdir(), 'civic-store-'));
	const file = path.join(dir, 'consent.sqlite');
	const stores = storeOpener((options) =>
		openStore({
			backend: 'sqlite',
			path: file,
			keys: options.keys ?? testKeys,
			pseudonymPrefix: options.pseudonymPrefix,
			languages: options.languages,
		}),
	);
	return {
		backend: 'sqlite',
		file,
		credential: { backend: 'sqlite', sqlitePath: file, dataProtectionKey: TEST_KEY },
		open: stores.open,
		async rawContents() {
			return readdirSync(dir)
				.map((name) => readFileSync(path.join(dir, name)).toString('latin1'))
				.join('\n');
		},
		async count(table) {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const { DatabaseSync } = require('node:sqlite') as typeof import('node:sqlite');
			const db = new DatabaseSync(file, { readOnly: true });
			try {
				return Number((db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n);
			} finally {
				db.close();
			}
		},
		async dispose() {
			await stores.closeAll();
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

/** Runs `fn` on a connection of its own to the test database, past any store. */
export async function withPgClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
	const client = new Client(PG);
	await client.connect();
	try {
		return await fn(client);
	} finally {
		await client.end();
	}
}

export function tempPostgres(): TempPostgres {
	const schema = `test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
	const stores = storeOpener((options) =>
		openStore({
			backend: 'postgres',
			...PG,
			schema,
			keys: options.keys ?? testKeys,
			pseudonymPrefix: options.pseudonymPrefix,
			languages: options.languages,
		}),
	);
	return {
		backend: 'postgres',
		schema,
		credential: {
			backend: 'postgres',
			...PG,
			password: PG.password ?? '',
			ssl: false,
			schema,
			dataProtectionKey: TEST_KEY,
		},
		open: stores.open,
		async rawContents() {
			return withPgClient(async (client) => {
				const tables = await client.query(
					`SELECT table_name FROM information_schema.tables WHERE table_schema = $1`,
					[schema],
				);
				const parts: string[] = [];
				for (const { table_name } of tables.rows as Array<{ table_name: string }>) {
					const rows = await client.query(`SELECT * FROM ${schema}.${table_name}`);
					for (const row of rows.rows)
						parts.push(
							JSON.stringify(row, (_, v) =>
								v && v.type === 'Buffer' ? Buffer.from(v.data).toString('latin1') : v,
							),
						);
				}
				return parts.join('\n');
			});
		},
		async count(table) {
			return withPgClient(async (client) =>
				Number((await client.query(`SELECT COUNT(*) AS n FROM ${schema}.${table}`)).rows[0].n),
			);
		},
		async dispose() {
			await stores.closeAll();
			await withPgClient((client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
		},
	};
}

export function tempStore(backend: 'sqlite' | 'postgres'): TempStore {
	return backend === 'sqlite' ? tempSqlite() : tempPostgres();
}

/**
 * A database of its own and a store open on it for every test of the surrounding `describe`
 * (a SQLite file unless `make` says otherwise); read `db` and `store` inside the tests.
 */
export function storePerTest(make: () => TempStore = tempSqlite): { db: TempStore; store: Store } {
	const current = {} as { db: TempStore; store: Store };
	beforeEach(async () => {
		current.db = make();
		current.store = await current.db.open();
	});
	afterEach(() => current.db.dispose());
	return current;
}
