/**
 * A PostgreSQL database of its own for one n8n queue-mode cluster (n8n's tables) or its consent
 * store, created fresh and dropped afterwards. The server is the one the tests use
 * (127.0.0.1:5432, user postgres, trust; PGHOST, PGPORT, PGUSER, PGPASSWORD point elsewhere).
 */
import { randomBytes } from 'node:crypto';

import { Client } from 'pg';

export const PG_SERVER = {
	host: process.env.PGHOST || '127.0.0.1',
	port: Number(process.env.PGPORT || 5432),
	user: process.env.PGUSER || 'postgres',
	password: process.env.PGPASSWORD || '',
};

export interface TempDatabase {
	name: string;
	host: string;
	port: number;
	user: string;
	password: string;
	/** Runs `fn` on a connection of its own to this database. */
	withClient<T>(fn: (client: Client) => Promise<T>): Promise<T>;
	/** Every row of every table in the given schemas as JSON lines (bytea as latin1 text). */
	dump(schemas?: string[]): Promise<string>;
	/** Drops the database, ending whatever sessions are still connected to it. */
	drop(): Promise<void>;
}

async function onDatabase<T>(database: string, fn: (client: Client) => Promise<T>): Promise<T> {
	const client = new Client({ ...PG_SERVER, database });
	await client.connect();
	try {
		return await fn(client);
	} finally {
		await client.end();
	}
}

/** A new, empty database named `<prefix>_<random>`; lower case, so it needs no quoting. */
export async function createDatabase(prefix: string): Promise<TempDatabase> {
	const name = `${prefix}_${randomBytes(5).toString('hex')}`.toLowerCase();
	if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Unusable database name ${name}`);
	await onDatabase('postgres', (c) => c.query(`CREATE DATABASE ${name}`));
	let dropped = false;
	return {
		name,
		...PG_SERVER,
		withClient: (fn) => onDatabase(name, fn),
		dump: (schemas = ['public']) =>
			onDatabase(name, async (client) => {
				const tables = await client.query<{ table_schema: string; table_name: string }>(
					`SELECT table_schema, table_name FROM information_schema.tables
					 WHERE table_schema = ANY($1) AND table_type = 'BASE TABLE' ORDER BY 1, 2`,
					[schemas],
				);
				const parts: string[] = [];
				for (const { table_schema, table_name } of tables.rows) {
					const rows = await client.query(`SELECT * FROM "${table_schema}"."${table_name}"`);
					for (const row of rows.rows)
						parts.push(
							`${table_name}: ${JSON.stringify(row, (_, v) =>
								v && v.type === 'Buffer' ? Buffer.from(v.data).toString('latin1') : v,
							)}`,
						);
				}
				return parts.join('\n');
			}),
		async drop() {
			if (dropped) return;
			dropped = true;
			// WITH (FORCE) (PostgreSQL 13+) ends sessions a killed process may have left behind.
			await onDatabase('postgres', (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
		},
	};
}

/** Whether a database of that name exists (for tests that check it was dropped). */
export async function databaseExists(name: string): Promise<boolean> {
	return onDatabase('postgres', async (c) => {
		const result = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
		return result.rowCount === 1;
	});
}
