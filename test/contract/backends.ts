import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { Client } from 'pg';

import { derivePrivacyKeys, type PrivacyKeys } from '../../nodes/core/privacy/keys';
import { openStore, type Store } from '../../nodes/core/store';

export const TEST_KEY = 'contract-test-data-protection-key';
export const PG = { host: '127.0.0.1', port: 5432, database: 'test', user: 'postgres' };

/** A backend under test: opens stores on one database, and dumps every stored byte for privacy checks. */
export interface Backend {
	name: string;
	open(options?: { keys?: PrivacyKeys; pseudonymPrefix?: string }): Promise<Store>;
	/** Every table and column as text (Postgres) or the raw database files (SQLite). */
	rawContents(): Promise<string>;
	/** Runs a query against the database directly (SQLite or PG), for checks a store does not expose. */
	count(table: string): Promise<number>;
	dispose(): Promise<void>;
}

export function sqliteBackend(): Backend {
	const dir = mkdtempSync(path.join(tmpdir(), 'civic-store-'));
	const file = path.join(dir, 'consent.sqlite');
	const opened: Store[] = [];
	return {
		name: 'sqlite',
		async open(options = {}) {
			const store = await openStore({
				backend: 'sqlite',
				path: file,
				keys: options.keys ?? derivePrivacyKeys(TEST_KEY),
				pseudonymPrefix: options.pseudonymPrefix,
			});
			opened.push(store);
			return store;
		},
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
			for (const store of opened) await store.close().catch(() => undefined);
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

export function postgresBackend(): Backend {
	const schema = `contract_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
	const opened: Store[] = [];
	const admin = async <T>(fn: (client: Client) => Promise<T>): Promise<T> => {
		const client = new Client(PG);
		await client.connect();
		try {
			return await fn(client);
		} finally {
			await client.end();
		}
	};
	return {
		name: 'postgres',
		async open(options = {}) {
			const store = await openStore({
				backend: 'postgres',
				...PG,
				schema,
				keys: options.keys ?? derivePrivacyKeys(TEST_KEY),
				pseudonymPrefix: options.pseudonymPrefix,
			});
			opened.push(store);
			return store;
		},
		async rawContents() {
			return admin(async (client) => {
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
			return admin(async (client) =>
				Number((await client.query(`SELECT COUNT(*) AS n FROM ${schema}.${table}`)).rows[0].n),
			);
		},
		async dispose() {
			for (const store of opened) await store.close().catch(() => undefined);
			await admin((client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
		},
	};
}
