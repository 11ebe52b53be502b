import { ConfigError } from '../errors';
import type { PrivacyKeys } from '../privacy/keys';
import { IdentityCodec } from './identity-codec';
import { verifyDataProtectionKey } from './key-check';
import { migrate } from './migrations';
import { PostgresDriver, type PostgresConnection } from './postgres-driver';
import { DEFAULT_PSEUDONYM_PREFIX } from './pseudonym';
import type { SqlDriver } from './sql-driver';
import { SqlConsent } from './sql-consent';
import { SqlLedger } from './sql-ledger';
import { openSqlite } from './sqlite-driver';
import type { Store } from './types';

export type StoreConfig =
	| { backend: 'sqlite'; path: string; keys: PrivacyKeys; pseudonymPrefix?: string }
	| ({ backend: 'postgres'; keys: PrivacyKeys; pseudonymPrefix?: string } & PostgresConnection);

/** Both halves of the store over one driver; the same code serves SQLite and PostgreSQL. */
class SqlStore extends SqlConsent implements Store {
	private readonly ledger: SqlLedger;

	constructor(driver: SqlDriver, keys: PrivacyKeys, prefix: string) {
		const codec = new IdentityCodec(keys);
		super(driver, codec, prefix);
		this.ledger = new SqlLedger(driver, codec);
	}

	async migrate(): Promise<void> {
		await migrate(this.db);
	}

	openBroadcast: Store['openBroadcast'] = (input) => this.ledger.openBroadcast(input);
	pendingRecipients: Store['pendingRecipients'] = (id, after, limit) =>
		this.ledger.pendingRecipients(id, after, limit);
	markSending: Store['markSending'] = (id, ids) => this.ledger.markSending(id, ids);
	releaseSending: Store['releaseSending'] = (id, ids) => this.ledger.releaseSending(id, ids);
	recordOutcomes: Store['recordOutcomes'] = (id, outcomes) =>
		this.ledger.recordOutcomes(id, outcomes);
	recoverInterrupted: Store['recoverInterrupted'] = (id, policy) =>
		this.ledger.recoverInterrupted(id, policy);
	claimBroadcast: Store['claimBroadcast'] = (id, owner, until) =>
		this.ledger.claimBroadcast(id, owner, until);
	releaseBroadcast: Store['releaseBroadcast'] = (id, owner) =>
		this.ledger.releaseBroadcast(id, owner);
	recordStatus: Store['recordStatus'] = (update) => this.ledger.recordStatus(update);
	broadcastReport: Store['broadcastReport'] = (key) => this.ledger.broadcastReport(key);
	listBroadcasts: Store['listBroadcasts'] = (input) => this.ledger.listBroadcasts(input);

	async close(): Promise<void> {
		await this.db.close();
	}
}

/** Opens the store and brings its schema up to date. */
export async function openStore(config: StoreConfig): Promise<Store> {
	const prefix = config.pseudonymPrefix ?? DEFAULT_PSEUDONYM_PREFIX;
	let driver: SqlDriver;
	if (config.backend === 'sqlite') {
		if (!config.path)
			throw new ConfigError(
				'The SQLite file path is empty: set it in the Consent Store credential',
			);
		driver = openSqlite(config.path);
	} else if (config.backend === 'postgres') {
		driver = await PostgresDriver.open(config);
	} else {
		throw new ConfigError(
			`Unknown storage backend "${String((config as { backend: unknown }).backend)}": use "sqlite" or "postgres"`,
		);
	}
	const store = new SqlStore(driver, config.keys, prefix);
	try {
		await store.migrate();
		await verifyDataProtectionKey(driver, config.keys);
	} catch (error) {
		await driver.close().catch(() => undefined);
		throw error;
	}
	return store;
}

export type { Store } from './types';
export * from './types';
