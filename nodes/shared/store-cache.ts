import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import path from 'node:path';

import { ConfigError } from '../core/errors';
import { derivePrivacyKeys, type PrivacyKeys } from '../core/privacy/keys';
import { openStore, type Store, type StoreConfig } from '../core/store';

/** The `consentStoreDb` credential as n8n hands it to a node. */
export interface ConsentStoreCredential {
	backend?: string;
	sqlitePath?: string;
	host?: string;
	port?: number;
	database?: string;
	user?: string;
	password?: string;
	ssl?: boolean;
	schema?: string;
	dataProtectionKey?: string;
}

export interface OpenedStore {
	store: Store;
	keys: PrivacyKeys;
}

/**
 * One store per credential, reused across executions: opening runs migrations and, for
 * PostgreSQL, builds a pool, which must not happen per item or per execution. Keyed by a hash
 * of the whole credential, so an edited credential gets a fresh store.
 */
const opened = new Map<string, Promise<OpenedStore>>();

export function storeConfigFrom(
	credential: ConsentStoreCredential,
	options: { pseudonymPrefix?: string } = {},
): StoreConfig {
	const keys = derivePrivacyKeys(credential.dataProtectionKey);
	const backend = credential.backend ?? 'sqlite';
	if (backend === 'sqlite') {
		return {
			backend,
			path: expandHome(credential.sqlitePath ?? ''),
			keys,
			pseudonymPrefix: options.pseudonymPrefix,
		};
	}
	if (backend === 'postgres') {
		return {
			backend,
			host: credential.host || 'localhost',
			port: Number(credential.port ?? 5432),
			database: credential.database || 'postgres',
			user: credential.user || 'postgres',
			password: credential.password || undefined,
			ssl: credential.ssl === true,
			schema: credential.schema || 'civic_broadcast',
			keys,
			pseudonymPrefix: options.pseudonymPrefix,
		};
	}
	throw new ConfigError(`Unknown storage backend "${backend}": use "sqlite" or "postgres"`);
}

export async function storeFor(
	credential: ConsentStoreCredential,
	options: { pseudonymPrefix?: string } = {},
): Promise<OpenedStore> {
	const cacheKey = createHash('sha256')
		.update(JSON.stringify([credential, options.pseudonymPrefix ?? null]))
		.digest('hex');
	let entry = opened.get(cacheKey);
	if (!entry) {
		const config = storeConfigFrom(credential, options);
		entry = openStore(config).then((store) => ({ store, keys: config.keys }));
		opened.set(cacheKey, entry);
		// A failed open (server down, bad path) must not be cached: the next execution tries again.
		entry.catch(() => opened.delete(cacheKey));
	}
	return entry;
}

/** Closes every cached store (tests, shutdown). */
export async function closeAllStores(): Promise<void> {
	const entries = [...opened.values()];
	opened.clear();
	for (const entry of entries) {
		const result = await entry.catch(() => undefined);
		await result?.store.close().catch(() => undefined);
	}
}

function expandHome(file: string): string {
	if (file === '~' || file.startsWith('~/')) return path.join(homedir(), file.slice(1));
	return file;
}
