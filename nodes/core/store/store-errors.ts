import { StoreError } from '../errors';

/**
 * Why the consent store cannot be used right now, as one word per situation staff can act on.
 * The drivers turn node:sqlite's and pg's errors into these; anything that is not about the
 * store being available (a constraint, a bug in our SQL) keeps its own path.
 */
export type StoreUnavailableKind =
	/** The SQLite file's disk, or the PostgreSQL server's, has no space left. */
	| 'disk-full'
	/** The file or file system, or the PostgreSQL server (a standby), accepts no writes. */
	| 'read-only'
	/** The SQLite file cannot be opened or created at its path. */
	| 'cannot-open'
	/** The SQLite file was deleted or replaced while this process had it open. */
	| 'file-gone'
	/** The file at the path is not a SQLite database, or is damaged. */
	| 'damaged'
	/** The disk failed a read or write. */
	| 'io-error'
	/** Another process held the SQLite file's write lock for longer than the busy timeout. */
	| 'locked'
	/** Nothing accepts connections at the PostgreSQL address (down, starting, wrong port). */
	| 'refused'
	/** An open PostgreSQL connection ended: the server stopped, restarted or ended the session. */
	| 'connection-lost'
	/** The PostgreSQL server has no free connection slot. */
	| 'too-many-connections'
	/** PostgreSQL refused the user or password. */
	| 'auth-refused'
	/** The PostgreSQL database named in the credential does not exist. */
	| 'database-missing'
	/** The PostgreSQL host name is not known. */
	| 'host-not-found'
	/** PostgreSQL did not answer in time. */
	| 'timeout';

/**
 * Causes that usually go away by themselves (a restart, a lock released, a burst of clients over):
 * trying the same step again later is worth it. The others need someone to change something.
 */
const TRANSIENT: ReadonlySet<StoreUnavailableKind> = new Set<StoreUnavailableKind>([
	'locked',
	'refused',
	'connection-lost',
	'too-many-connections',
	'timeout',
]);

/**
 * The consent store could not be used for a reason outside the data: its disk, its file, its
 * server or the way to it. The message names the cause in words and what to do; it never quotes
 * SQL parameters (so never a number), only the store's configured location.
 */
export class StoreUnavailableError extends StoreError {
	/** Whether trying again later may succeed without anyone changing anything. */
	readonly transient: boolean;

	constructor(
		readonly kind: StoreUnavailableKind,
		message: string,
		options?: { cause?: unknown },
	) {
		super(message, options);
		this.transient = TRANSIENT.has(kind);
	}
}

/** Whether `error` says the store is unavailable for a while and a later retry may succeed. */
export function isTransientStoreError(error: unknown): boolean {
	return error instanceof StoreUnavailableError && error.transient;
}

interface SqliteLikeError {
	code?: unknown;
	errcode?: unknown;
}

/**
 * node:sqlite (Node 24) throws `{ code: 'ERR_SQLITE_ERROR', errcode, errstr }`; `errcode` may be an
 * extended code, whose low byte is the primary one. Opening can also fail in `mkdir` with a
 * file-system code. Returns undefined for errors that are not about availability.
 */
export function sqliteUnavailable(error: unknown, file: string): StoreUnavailableError | undefined {
	if (!error || typeof error !== 'object') return undefined;
	const { code, errcode } = error as SqliteLikeError;
	const at = `The consent store's SQLite file "${file}"`;
	const make = (kind: StoreUnavailableKind, message: string) =>
		new StoreUnavailableError(kind, message, { cause: error });
	if (code === 'ERR_SQLITE_ERROR' && typeof errcode === 'number') {
		switch (errcode & 0xff) {
			case SQLITE.FULL:
				return make(
					'disk-full',
					`${at} cannot grow: the disk or volume that holds it is full (SQLITE_FULL). Free space there, then run the step again.`,
				);
			case SQLITE.READONLY:
				return make(
					'read-only',
					`${at} is read-only (SQLITE_READONLY): n8n may read it but not write to it. Check the permissions of the file and its folder, and that the disk is not mounted read-only.`,
				);
			case SQLITE.CANTOPEN:
				return make(
					'cannot-open',
					`${at} cannot be opened (SQLITE_CANTOPEN): the path must name a file in a folder n8n may write to. Check the path in the Consent Store credential and the folder's permissions.`,
				);
			case SQLITE.BUSY:
			case SQLITE.LOCKED:
				return make(
					'locked',
					`${at} stayed locked by another program for longer than n8n waits (SQLITE_BUSY): something else (a second n8n, a backup tool) holds its write lock. Try again; if it persists, find what else uses the file.`,
				);
			case SQLITE.IOERR:
				return make(
					'io-error',
					`${at} could not be read or written: the disk reported an error (SQLITE_IOERR). Check the disk and its file system.`,
				);
			case SQLITE.CORRUPT:
			case SQLITE.NOTADB:
				return make(
					'damaged',
					`${at} is not a readable SQLite database (damaged, or another kind of file). Restore it from a backup, or point the Consent Store credential at the right file.`,
				);
			default:
				return undefined;
		}
	}
	switch (code) {
		case 'ENOSPC':
			return make(
				'disk-full',
				`${at} cannot be created: the disk that should hold it is full (ENOSPC). Free space there.`,
			);
		case 'EROFS':
			return make(
				'read-only',
				`${at} cannot be created: its disk is mounted read-only (EROFS). Choose a path on a writable disk.`,
			);
		case 'EACCES':
		case 'EPERM':
		case 'ENOTDIR':
		case 'EEXIST':
			return make(
				'cannot-open',
				`${at} cannot be created: its folder cannot be made or written to (${code}). Check the path in the Consent Store credential and the folder's permissions.`,
			);
		default:
			return undefined;
	}
}

/** The file at `file` is no longer the one this process opened: writes would go nowhere. */
export function sqliteFileGone(file: string): StoreUnavailableError {
	return new StoreUnavailableError(
		'file-gone',
		`The consent store's SQLite file "${file}" was deleted or replaced while n8n had it open: what n8n writes now would be lost. Put the file back (from a backup if needed) and restart n8n.`,
	);
}

/** Primary result codes of SQLite (https://sqlite.org/rescode.html). */
const SQLITE = {
	BUSY: 5,
	LOCKED: 6,
	READONLY: 8,
	IOERR: 10,
	CORRUPT: 11,
	FULL: 13,
	CANTOPEN: 14,
	NOTADB: 26,
} as const;

interface PgLikeError {
	code?: unknown;
	message?: unknown;
}

/**
 * pg's errors: a server error carries its SQLSTATE in `code`, a socket error Node's code, and a
 * connection that simply ends only a message. Returns undefined for errors that are not about
 * availability. The message names the condition, never pg's own text (which can quote values).
 */
export function postgresUnavailable(
	error: unknown,
	where: string,
): StoreUnavailableError | undefined {
	if (!error || typeof error !== 'object') return undefined;
	const { code, message } = error as PgLikeError;
	const text = typeof message === 'string' ? message : '';
	const cause =
		(typeof code === 'string' && Object.hasOwn(PG_CAUSES, code) ? PG_CAUSES[code] : undefined) ??
		(/^Connection terminated unexpectedly|connection error and is not queryable/.test(text)
			? TERMINATED
			: /timeout/i.test(text)
				? CONNECT_TIMEOUT
				: undefined);
	if (!cause) return undefined;
	return new StoreUnavailableError(cause.kind, cause.message(where), { cause: error });
}

interface PgCause {
	kind: StoreUnavailableKind;
	message: (where: string) => string;
}

const lost = (condition: string, why: string): PgCause => ({
	kind: 'connection-lost',
	message: (where) =>
		`The connection to PostgreSQL at ${where} was lost (${condition}): ${why}. The step that was running did not finish; try again once the server is back.`,
});

const refused = (condition: string, why: string): PgCause => ({
	kind: 'refused',
	message: (where) =>
		`Cannot reach PostgreSQL at ${where} (${condition}): ${why}. Check that the server runs and the credential's host, port and SSL settings; try again once it is back.`,
});

const timeout = (condition: string): PgCause => ({
	kind: 'timeout',
	message: (where) =>
		`PostgreSQL at ${where} did not answer in time (${condition}): the server or the network is overloaded, or a firewall drops the connection. Try again; if it persists, check the server and the way to it.`,
});

/** By SQLSTATE (written as its condition name, so staff read words) or Node's socket code. */
const PG_CAUSES: Record<string, PgCause> = {
	ECONNREFUSED: refused('ECONNREFUSED', 'the server refuses connections'),
	EHOSTUNREACH: refused('EHOSTUNREACH', 'the network has no way to the host'),
	ENETUNREACH: refused('ENETUNREACH', 'the network has no way to the host'),
	'57P03': refused(
		'cannot_connect_now',
		'the server does not accept connections yet: it is starting up, recovering or shutting down',
	),
	ECONNRESET: lost('ECONNRESET', 'the server or the network closed it'),
	EPIPE: lost('EPIPE', 'the server or the network closed it'),
	'57P01': lost(
		'admin_shutdown',
		'the server is shutting down, or an administrator ended the session',
	),
	'57P02': lost('crash_shutdown', 'the server restarted after another process crashed'),
	'08000': lost('connection_exception', 'the server or the network closed it'),
	'08003': lost('connection_does_not_exist', 'the server or the network closed it'),
	'08006': lost('connection_failure', 'the server or the network closed it'),
	'53300': {
		kind: 'too-many-connections',
		message: (where) =>
			`PostgreSQL at ${where} has no free connection (too_many_connections): other programs use them all. Try again later, or raise the server's max_connections.`,
	},
	'53100': {
		kind: 'disk-full',
		message: (where) =>
			`PostgreSQL at ${where} cannot write: the server's disk is full (disk_full). Free space on the database server, then run the step again.`,
	},
	'25006': {
		kind: 'read-only',
		message: (where) =>
			`PostgreSQL at ${where} accepts no writes (read_only_sql_transaction): it is a read-only standby or set to read-only. Point the credential at the primary server.`,
	},
	'28P01': {
		kind: 'auth-refused',
		message: (where) =>
			`PostgreSQL at ${where} refused the login (invalid_password): check user and password in the Consent Store credential.`,
	},
	'28000': {
		kind: 'auth-refused',
		message: (where) =>
			`PostgreSQL at ${where} refused the login (invalid_authorization_specification): the server does not let this user in from here. Check the user in the credential and the server's pg_hba.conf.`,
	},
	'3D000': {
		kind: 'database-missing',
		message: (where) =>
			`The database at ${where} does not exist (invalid_catalog_name): create it, or correct the database name in the Consent Store credential.`,
	},
	ENOTFOUND: {
		kind: 'host-not-found',
		message: (where) =>
			`Cannot reach PostgreSQL at ${where} (ENOTFOUND): the host name is not known. Check the credential's host.`,
	},
	EAI_AGAIN: timeout('EAI_AGAIN, the host name could not be looked up'),
	ETIMEDOUT: timeout('ETIMEDOUT'),
};

/** pg's own texts for a connection that ended or never answered (no code). */
const TERMINATED = lost(
	'connection terminated',
	'the server stopped or restarted, or the network closed it',
);
const CONNECT_TIMEOUT = timeout('connection timeout');
