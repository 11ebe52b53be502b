/** The little a store needs from a SQL database; SQLite and PostgreSQL drivers implement it. */

export type SqlValue = string | number | bigint | null | Buffer | Uint8Array | string[] | number[];
export type Row = Record<string, unknown>;

export interface SqlExecutor {
	readonly dialect: 'sqlite' | 'postgres';
	/** Runs a statement with `$1…` placeholders and returns its rows (RETURNING included). */
	all(sql: string, params?: SqlValue[]): Promise<Row[]>;
	/** Runs a statement and returns how many rows it changed. */
	run(sql: string, params?: SqlValue[]): Promise<number>;
}

export interface SqlDriver extends SqlExecutor {
	/** Runs `fn` in one transaction that serialises writers; rolls back if it throws. */
	transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
	close(): Promise<void>;
}
