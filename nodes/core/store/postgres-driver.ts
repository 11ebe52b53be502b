import { Pool, type PoolClient } from '../../vendor/pg';

import { CivicBroadcastError, StoreError } from '../errors';
import type { Row, SqlDriver, SqlExecutor, SqlValue } from './sql-driver';

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
		try {
			await client.query('BEGIN');
			const result = await fn(executor(client));
			await client.query('COMMIT');
			return result;
		} catch (error) {
			await client.query('ROLLBACK').catch(() => undefined);
			// Our own errors (a taken pseudonym, a wrong key) keep their type and message.
			throw error instanceof CivicBroadcastError ? error : this.wrap(error);
		} finally {
			client.release();
		}
	}

	async close(): Promise<void> {
		await this.pool.end();
	}

	/** Driver errors can quote row values; only the code and a fixed hint leave this function. */
	wrap(cause: unknown): StoreError | unknown {
		const error = cause as { code?: string; message?: string };
		if (!error || typeof error !== 'object' || error instanceof StoreError) return cause;
		const code = error.code ?? 'unknown';
		if (
			['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNRESET'].includes(code) ||
			/timeout/i.test(error.message ?? '')
		) {
			return new StoreError(
				`Cannot reach PostgreSQL at ${this.where} (${code}): check that the server runs and the credential's host, port and SSL settings.`,
				{ cause },
			);
		}
		if (code === '28P01' || code === '28000') {
			return new StoreError(
				`PostgreSQL at ${this.where} refused the login (${code}): check user and password.`,
				{ cause },
			);
		}
		if (code === '3D000')
			return new StoreError(`The database at ${this.where} does not exist (${code}).`, { cause });
		return new StoreError(`PostgreSQL at ${this.where} failed (SQLSTATE ${code}).`, { cause });
	}
}
