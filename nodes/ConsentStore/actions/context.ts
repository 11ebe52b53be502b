import type { IExecuteFunctions } from 'n8n-workflow';

import type { PrivacyKeys } from '../../core/privacy/keys';
import type { Store } from '../../core/store';
import type { NodeOutputs } from '../../shared/each-item';
import { storeFor, type ConsentStoreCredential } from '../../shared/store-cache';
import { readPseudonymPrefix } from './parameters';

/** What every operation receives from the router (STYLE.md §3): the store is opened at most once. */
export interface ConsentContext {
	credential: ConsentStoreCredential;
	/** Opens (or reuses) the store of this credential with the node's pseudonym prefix. */
	open(): Promise<{ store: Store; keys: PrivacyKeys }>;
}

export type OperationResult = NodeOutputs;

export function createContext(
	fn: IExecuteFunctions,
	credential: ConsentStoreCredential,
): ConsentContext {
	let opened: Promise<{ store: Store; keys: PrivacyKeys }> | undefined;
	return {
		credential,
		open: () => {
			opened ??= storeFor(credential, {
				pseudonymPrefix: readPseudonymPrefix(fn, 0),
			});
			return opened;
		},
	};
}
