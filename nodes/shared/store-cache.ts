import { createHash } from 'node:crypto';

import { openStore, type Store, type StoreConfig } from '../core/store';
import { storeConfigFrom, type StoreSettings } from '../core/store/settings';

/** The `consentStoreDb` credential as n8n hands it to a node. */
export type ConsentStoreCredential = StoreSettings;

/**
 * An open store with the keys derived from its credential. Node files pass `keys` on to core
 * functions (which seal and open tokens) and never look inside.
 */
export interface OpenedStore {
	store: Store;
	keys: StoreConfig['keys'];
}

export { storeConfigFrom };

/**
 * One store per credential, reused across executions: opening runs migrations and, for
 * PostgreSQL, builds a pool, which must not happen per item or per execution. Keyed by a hash
 * of the whole credential, so an edited credential gets a fresh store.
 */
const opened = new Map<string, Promise<OpenedStore>>();

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
