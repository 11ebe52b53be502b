import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { derivePrivacyKeys, type PrivacyKeys } from '../../../nodes/core/privacy/keys';
import { openStore, type Store } from '../../../nodes/core/store';
import { TEST_KEY } from '../../contract/backends';

/** A real store on a temporary SQLite file. */
export async function tempStore(): Promise<{
	store: Store;
	keys: PrivacyKeys;
	file: string;
	dispose(): Promise<void>;
}> {
	const dir = mkdtempSync(path.join(tmpdir(), 'consent-core-'));
	const file = path.join(dir, 'consent.sqlite');
	const keys = derivePrivacyKeys(TEST_KEY);
	const store = await openStore({ backend: 'sqlite', path: file, keys });
	return {
		store,
		keys,
		file,
		dispose: async () => {
			await store.close();
			rmSync(dir, { recursive: true, force: true });
		},
	};
}
