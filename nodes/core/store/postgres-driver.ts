import { Pool, type PoolClient } from '../../vendor/pg';

import { CivicBroadcastError, StoreError } from '../errors';
import type { Row, SqlDriver, SqlExecutor, SqlValue } from './sql-driver';
import { postgresUnavailable, StoreUnavailableError } from './store-errors';

export interface PostgresConnection {
	host: string;
	port: number;
	database: string;
	user: string;
	password?: string;
	ssl?: boolean;
	schema: string;
	maxConnections?: number;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

function executor(client: Pick<PoolClient, 'query'>): SqlExecutor {
	return {
		dialect: 'postgres',
		all: async (sql, params) => (await client.query(sql, params as unknown[])).rows as Row[],
		run: async (sql, params) => (await client.query(sql, params as unknown[])).rowCount ?? 0,
	};
}

/** PostgreSQL for n8n queue mode: several workers share one database; transactions and unique indexes keep it consistent. */
export class PostgresDriver implements SqlDriver {
	readonly dialect = 'postgres' as const;

	private constructor(
		private readonly pool: Pool,
		private readonly where: string,
	) {}

	static async open(connection: PostgresConnection): Promise<PostgresDriver> {
		if (!SCHEMA_NAME.test(connection.schema)) {
			throw new StoreError(
				`The schema name "${connection.schema}" is not valid: use letters, digits and underscores`,
			);
		}
		const where = `${connection.host}:${connection.port}/${connection.database}`;
		const pool = new Pool({
			host: connection.host,
			port: connection.port,
			database: connection.database,
			user: connection.user,
			password: connection.password,
			ssl: connection.ssl ? { rejectUnauthorized: true } : undefined,
			max: connection.maxConnections ?? 10,
			connectionTimeoutMillis: 10_000,
			options: `-c search_path=${connection.schema}`,
		});
		pool.on('error', () => undefined); // idle-client errors surface on the next query instead
		const driver = new PostgresDriver(pool, where);
		try {
			await pool
				.query(`CREATE SCHEMA IF NOT EXISTS ${connection.schema}`)
				.catch((error: { code?: string }) => {
					// Two workers creating the schema at once: the loser sees a duplicate, which is fine.
					if (error.code !== '23505' && error.code !== '42P06') throw error;
				});
		} catch (cause) {
			await pool.end().catch(() => undefined);
			throw driver.wrap(cause);
		}
		return driver;
	}

	async all(sql: string, params?: SqlValue[]): Promise<Row[]> {
		try {
			return (await this.pool.query(sql, params as unknown[])).rows as Row[];
		} catch (cause) {
			throw this.wrap(cause);
		}
	}

	async run(sql: string, params?: SqlValue[]): Promise<number> {
		try {
			return (await this.pool.query(sql, params as unknown[])).rowCount ?? 0;
		} catch (cause) {
			throw this.wrap(cause);
		}
	}

	async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
		let client: PoolClient;
		try {
			client = await this.pool.connect();
		} catch (cause) {
			throw this.wrap(cause);
		}
		// A checked-out client whose connection dies emits 'error'; unheard, that would crash n8n.
		// The failing query rejects too, and that rejection is what callers see.
		const ignore = () => undefined;
		client.on('error', ignore);
		let broken: Error | undefined;
		try {
			await client.query('BEGIN');
			const result = await fn(executor(client));
			await client.query('COMMIT');
			return result;
		} catch (error) {
			await client.query('ROLLBACK').catch(() => undefined);
			// Our own errors (a taken pseudonym, a wrong key) keep their type and message.
			const wrapped = error instanceof CivicBroadcastError ? error : this.wrap(error);
			// A connection that failed is not handed out again: the pool opens a fresh one.
			if (wrapped instanceof StoreUnavailableError) broken = wrapped;
			throw wrapped;
		} finally {
			client.off('error', ignore);
			client.release(broken);
		}
	}

	async close(): Promise<void> {
		await this.pool.end();
	}

	/**
	 * Driver errors can quote row values; only a fixed text naming the cause leaves this function.
	 * Availability problems become a StoreUnavailableError (with whether a retry may help).
	 */
	wrap(cause: unknown): StoreError | unknown {
		const error = cause as { code?: string; message?: string };
		if (!error || typeof error !== 'object' || error instanceof StoreError) return cause;
		const unavailable = postgresUnavailable(cause, this.where);
		if (unavailable) return unavailable;
		const code = error.code ?? 'unknown';
		return new StoreError(`PostgreSQL at ${this.where} failed (SQLSTATE ${code}).`, { cause });
	}
}
