import { ConfigError } from '../errors';
import { CATALOGUE, type LanguageCatalogue } from '../language';
import type { PrivacyKeys } from '../privacy/keys';
import { IdentityCodec } from './identity-codec';
import { verifyDataProtectionKey } from './key-check';
import { migrate } from './migrations';
import { PostgresDriver, type PostgresConnection } from './postgres-driver';
import { DEFAULT_PSEUDONYM_PREFIX } from './pseudonym';
import type { SqlDriver } from './sql-driver';
import { sqlConsent } from './sql-consent';
import { sqlInbox } from './sql-inbox';
import { sqlLedger } from './sql-ledger';
import { sqlOrdered } from './sql-ordered';
import { sqlQueue } from './sql-queue';
import { sqlStaffLimit } from './sql-staff-limit';
import { sqlUndeliverable } from './sql-undeliverable';
import { openSqlite } from './sqlite-driver';
import type { Store } from './types';

interface CommonConfig {
	keys: PrivacyKeys;
	pseudonymPrefix?: string;
	/** The languages statistics list; the service's catalogue unless given. */
	languages?: LanguageCatalogue;
}

export type StoreConfig =
	| ({ backend: 'sqlite'; path: string } & CommonConfig)
	| ({ backend: 'postgres' } & CommonConfig & PostgresConnection);

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
	const codec = new IdentityCodec(config.keys);
	// Both halves over one driver; the same code serves SQLite and PostgreSQL.
	const store: Store = {
		...sqlConsent(driver, codec, {
			pseudonymPrefix: prefix,
			languages: config.languages ?? CATALOGUE,
		}),
		...sqlOrdered(driver, codec, prefix),
		...sqlInbox(driver, codec),
		...sqlLedger(driver, codec),
		...sqlQueue(driver),
		...sqlUndeliverable(driver),
		...sqlStaffLimit(driver, codec),
		migrate: async () => {
			await migrate(driver);
		},
		close: () => driver.close(),
	};
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
