import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import path from 'node:path';

import { openStore, type Store } from '../../../nodes/core/store';
import { openSqlite } from '../../../nodes/core/store/sqlite-driver';
import type { SqlDriver } from '../../../nodes/core/store/sql-driver';
import {
	StoreUnavailableError,
	isTransientStoreError,
	sqliteUnavailable,
} from '../../../nodes/core/store/store-errors';
import { findPhoneLeaks } from '../../support/privacy';
import { testKeys } from '../../support/test-key';
import { tempSqlite, type TempSqlite } from '../../support/temp-store';

/** Digits of the n-th person subscribed here (German mobile range). */
const phoneOf = (n: number) => `49151${String(20_000_000 + n)}`;

async function subscribe(store: Store, n: number): Promise<void> {
	await store.subscribe({
		identity: { phone: phoneOf(n) },
		language: 'de',
		source: 'import',
		textVersion: 'v1',
	});
}

/** Runs `fn` and returns what it threw; fails the test if it did not throw. */
async function thrown(fn: () => Promise<unknown>): Promise<unknown> {
	try {
		await fn();
	} catch (error) {
		return error;
	}
	throw new Error('expected the store call to fail');
}

/** The error is ours, of the given kind, in words, and quotes none of the people involved. */
function expectUnavailable(
	error: unknown,
	kind: StoreUnavailableError['kind'],
	words: RegExp,
	phones: string[],
): asserts error is StoreUnavailableError {
	expect(error).toBeInstanceOf(StoreUnavailableError);
	const unavailable = error as StoreUnavailableError;
	expect(unavailable.kind).toBe(kind);
	expect(unavailable.message).toMatch(words);
	expect(unavailable.message).not.toMatch(/^Error$|INSERT|SELECT|UPDATE/);
	expect(findPhoneLeaks(unavailable.message, phones)).toEqual([]);
}

describe('SQLite consent store unavailable: the error names the cause', () => {
	let db: TempSqlite;
	let store: Store;
	/** A second handle on the same shared connection, to change its limits from outside. */
	let raw: SqlDriver;
	beforeEach(async () => {
		db = tempSqlite();
		store = await db.open();
		raw = openSqlite(db.file);
	});
	afterEach(async () => {
		await raw.close();
		await db.dispose();
	});

	it('file full: SQLITE_FULL becomes disk-full, permanent; writes work again once there is room', async () => {
		await subscribe(store, 1);
		const [{ page_count }] = await raw.all('PRAGMA page_count');
		// The file may not grow by a single page: as a disk with no space left.
		await raw.all(`PRAGMA max_page_count = ${Number(page_count)}`);
		const phones: string[] = [];
		let error: unknown;
		for (let n = 2; n < 2000 && error === undefined; n++) {
			phones.push(phoneOf(n));
			error = await subscribe(store, n).then(
				() => undefined,
				(e: unknown) => e,
			);
		}
		expectUnavailable(error, 'disk-full', /is full \(SQLITE_FULL\)\. Free space there/, phones);
		expect(error.message).toContain(db.file);
		expect(error.transient).toBe(false);
		expect(isTransientStoreError(error)).toBe(false);
		// Nothing half-written, and the store works again once the limit is lifted.
		await raw.all('PRAGMA max_page_count = 1073741823');
		await subscribe(store, 5000);
		expect((await store.statistics({ days: 1 })).subscribers).toBeGreaterThanOrEqual(2);
	});

	it('read-only: SQLITE_READONLY becomes read-only, permanent', async () => {
		// SQLite's own read-only switch on the store's connection: the same error a read-only file gives.
		await raw.all('PRAGMA query_only = ON');
		const error = await thrown(() => subscribe(store, 1));
		expectUnavailable(error, 'read-only', /is read-only \(SQLITE_READONLY\)/, [phoneOf(1)]);
		expect(error.transient).toBe(false);
		// Reading still works.
		expect((await store.statistics({ days: 1 })).subscribers).toBe(0);
	});

	it('locked by another program: SQLITE_BUSY becomes locked, worth retrying', async () => {
		// Without a busy timeout the store gives up at once instead of blocking the test for ten seconds.
		await raw.all('PRAGMA busy_timeout = 0');
		const other = new DatabaseSync(db.file);
		other.exec('BEGIN IMMEDIATE');
		try {
			const error = await thrown(() => subscribe(store, 1));
			expectUnavailable(error, 'locked', /stayed locked by another program/, [phoneOf(1)]);
			expect(error.transient).toBe(true);
			expect(isTransientStoreError(error)).toBe(true);
		} finally {
			other.exec('ROLLBACK');
			other.close();
		}
		await subscribe(store, 1);
	});

	it('file deleted while open: writes refuse (file-gone) instead of vanishing with the unlinked file', async () => {
		await subscribe(store, 1);
		for (const suffix of ['', '-wal', '-shm']) rmSync(db.file + suffix, { force: true });
		const error = await thrown(() => subscribe(store, 2));
		expectUnavailable(error, 'file-gone', /was deleted or replaced while n8n had it open/, [
			phoneOf(1),
			phoneOf(2),
		]);
		expect(error.transient).toBe(false);
	});
});

describe('SQLite consent store that cannot be opened', () => {
	let db: TempSqlite;
	beforeEach(() => (db = tempSqlite()));
	afterEach(() => db.dispose());
	const open = (file: string) => openStore({ backend: 'sqlite', path: file, keys: testKeys });

	it('the path is a folder: SQLITE_CANTOPEN becomes cannot-open', async () => {
		const folder = path.join(path.dirname(db.file), 'a-folder');
		mkdirSync(folder);
		const error = await thrown(() => open(folder));
		expectUnavailable(error, 'cannot-open', /cannot be opened \(SQLITE_CANTOPEN\)/, []);
		expect(error.transient).toBe(false);
	});

	it('the folder is a file: mkdir ENOTDIR becomes cannot-open', async () => {
		const notAFolder = path.join(path.dirname(db.file), 'plain-file');
		writeFileSync(notAFolder, 'x');
		const error = await thrown(() => open(path.join(notAFolder, 'consent.sqlite')));
		expectUnavailable(error, 'cannot-open', /its folder cannot be made or written to/, []);
	});

	it('not a database: SQLITE_NOTADB becomes damaged', async () => {
		const junk = path.join(path.dirname(db.file), 'junk.sqlite');
		writeFileSync(junk, 'this is a text file, not a database\n'.repeat(200));
		const error = await thrown(() => open(junk));
		expectUnavailable(error, 'damaged', /is not a readable SQLite database/, []);
	});

	it('errors that are not about availability keep their own path', () => {
		const other = new DatabaseSync(':memory:');
		other.exec('CREATE TABLE t (x TEXT UNIQUE); INSERT INTO t VALUES (1)');
		let constraint: unknown;
		try {
			other.exec('INSERT INTO t VALUES (1)');
		} catch (error) {
			constraint = error;
		}
		other.close();
		expect(constraint).toMatchObject({ code: 'ERR_SQLITE_ERROR' });
		expect(sqliteUnavailable(constraint, 'x.sqlite')).toBeUndefined();
	});
});
