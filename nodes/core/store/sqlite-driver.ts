import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';

import { StoreError } from '../errors';
import type { Row, SqlDriver, SqlExecutor, SqlValue } from './sql-driver';
import { sqliteFileGone, sqliteUnavailable } from './store-errors';

/**
 * node:sqlite is synchronous, but store methods are async and may interleave between awaits;
 * an in-process queue therefore gives each transaction (and each single statement) the database
 * to itself. All stores of one process share one connection per file: a second connection would
 * wait for the first one's lock synchronously and so block the very event loop that has to
 * release it. Across processes, `BEGIN IMMEDIATE` plus busy_timeout serialise writers.
 */
const connections = new Map<string, { connection: SqliteConnection; refs: number }>();

export function openSqlite(path: string): SqlDriver {
	const key = path === ':memory:' ? `:memory:${connections.size}:${Math.random()}` : resolve(path);
	let entry = connections.get(key);
	if (!entry) {
		entry = { connection: SqliteConnection.connect(path), refs: 0 };
		connections.set(key, entry);
	}
	entry.refs += 1;
	const shared = entry;
	let closed = false;
	return {
		dialect: 'sqlite',
		all: (sql, params) => shared.connection.all(sql, params),
		run: (sql, params) => shared.connection.run(sql, params),
		transaction: (fn) => shared.connection.transaction(fn),
		close: async () => {
			if (closed) return;
			closed = true;
			shared.refs -= 1;
			if (shared.refs === 0) {
				connections.delete(key);
				await shared.connection.close();
			}
		},
	};
}

class SqliteConnection implements SqlDriver {
	readonly dialect = 'sqlite' as const;
	private queue: Promise<unknown> = Promise.resolve();
	private readonly statements = new Map<string, StatementSync>();
	private readonly inner: SqlExecutor;

	private constructor(
		private readonly db: DatabaseSync,
		private readonly path: string,
		/** The file's inode when opened; undefined for an in-memory database. */
		private readonly inode: number | undefined,
	) {
		this.inner = {
			dialect: 'sqlite',
			all: async (sql, params) => this.allNow(sql, params),
			run: async (sql, params) => this.runNow(sql, params),
		};
	}

	static connect(path: string): SqliteConnection {
		try {
			// Loaded lazily, so that merely loading the package never touches node:sqlite.
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const { DatabaseSync: Database } = require('node:sqlite') as typeof import('node:sqlite');
			if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
			const db = new Database(path);
			db.exec(
				'PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;',
			);
			return new SqliteConnection(db, path, path === ':memory:' ? undefined : statSync(path).ino);
		} catch (cause) {
			throw (
				sqliteUnavailable(cause, path) ??
				new StoreError(
					`Cannot open the SQLite database at "${path}": ${(cause as Error).message}. Check that the folder exists and n8n may write to it.`,
					{ cause },
				)
			);
		}
	}

	all(sql: string, params?: SqlValue[]): Promise<Row[]> {
		return this.exclusive(async () => {
			this.checkFile();
			return this.allNow(sql, params);
		});
	}

	run(sql: string, params?: SqlValue[]): Promise<number> {
		return this.exclusive(async () => {
			this.checkFile();
			return this.runNow(sql, params);
		});
	}

	transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
		return this.exclusive(async () => {
			this.checkFile();
			this.execNow('BEGIN IMMEDIATE');
			try {
				const result = await fn(this.inner);
				this.execNow('COMMIT');
				return result;
			} catch (error) {
				// SQLite may already have rolled back (a full disk does): a second ROLLBACK would
				// throw "no transaction is active" and hide the error that matters.
				if (this.db.isTransaction) {
					try {
						this.db.exec('ROLLBACK');
					} catch {
						// The error that made us roll back is the one staff need to see.
					}
				}
				throw error;
			}
		});
	}

	async close(): Promise<void> {
		await this.exclusive(async () => this.db.close());
	}

	private exclusive<T>(fn: () => Promise<T>): Promise<T> {
		const result = this.queue.then(fn, fn);
		this.queue = result.catch(() => undefined);
		return result;
	}

	/**
	 * A file deleted (or swapped) under an open connection does not fail in SQLite: writes go to
	 * the unlinked inode and vanish at close (reads see stale data). One stat per statement or
	 * transaction turns that into an error.
	 */
	private checkFile(): void {
		if (this.inode === undefined) return;
		let inode: number | undefined;
		try {
			inode = statSync(this.path).ino;
		} catch {
			inode = undefined;
		}
		if (inode !== this.inode) throw sqliteFileGone(this.path);
	}

	/** node:sqlite's availability errors (full, read-only, locked…) become StoreUnavailableError. */
	private mapped(error: unknown): unknown {
		return sqliteUnavailable(error, this.path) ?? error;
	}

	private execNow(sql: string): void {
		try {
			this.db.exec(sql);
		} catch (error) {
			throw this.mapped(error);
		}
	}

	private prepare(sql: string): StatementSync {
		let statement = this.statements.get(sql);
		if (!statement) {
			// `$1` placeholders become SQLite's numbered `?1`, so one SQL text serves both dialects.
			statement = this.db.prepare(sql.replace(/\$(\d+)/g, '?$1'));
			this.statements.set(sql, statement);
		}
		return statement;
	}

	private allNow(sql: string, params: SqlValue[] = []): Row[] {
		try {
			return this.prepare(sql).all(...(params as SQLInputValue[])) as Row[];
		} catch (error) {
			throw this.mapped(error);
		}
	}

	private runNow(sql: string, params: SqlValue[] = []): number {
		try {
			return Number(this.prepare(sql).run(...(params as SQLInputValue[])).changes);
		} catch (error) {
			throw this.mapped(error);
		}
	}
}
