import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { mapEachItem, type NodeOutputs } from './each-item';
import { storeFor, type ConsentStoreCredential, type OpenedStore } from './store-cache';

/** The credential type of the consent store; both action nodes and the trigger use it. */
export const STORE_CREDENTIAL = 'consentStoreDb';

/**
 * What every operation of both action nodes receives: the router builds it, so an operation reads
 * parameters and calls the core, and never opens a store or client itself.
 */
export interface StoreContext {
	/** The Consent Store Database credential of this node. */
	credential: ConsentStoreCredential;
	/** Opens (or reuses) the credential's store, at most once per execution. */
	open(): Promise<OpenedStore>;
}

/**
 * Reads the credential now and opens the store on first use: Processing Record never needs it.
 * `pseudonymPrefix` is asked for when the store is opened (the Consent Store's parameter).
 */
export async function createStoreContext(
	fn: IExecuteFunctions,
	pseudonymPrefix?: () => string,
): Promise<StoreContext> {
	const credential = await fn.getCredentials<ConsentStoreCredential>(STORE_CREDENTIAL);
	let opened: Promise<OpenedStore> | undefined;
	return {
		credential,
		open: () => (opened ??= storeFor(credential, { pseudonymPrefix: pseudonymPrefix?.() })),
	};
}

/**
 * The `execute` of an operation that handles each item with the store: the store is opened once
 * (when that fails the node stops before any item), then every item is handled as `mapEachItem`
 * does (its JSON, or its error with Continue On Fail).
 */
export function eachItemWithStore(
	handle: (this: IExecuteFunctions, opened: OpenedStore, itemIndex: number) => Promise<IDataObject>,
): (this: IExecuteFunctions, context: StoreContext) => Promise<NodeOutputs> {
	return async function execute(this: IExecuteFunctions, context: StoreContext) {
		const opened = await context.open();
		return mapEachItem(this, async (i) => handle.call(this, opened, i));
	};
}
