import type { IExecuteFunctions } from 'n8n-workflow';

import { CloudApiClient } from '../../core/cloud-api';
import type { PrivacyKeys } from '../../core/privacy/keys';
import type { Store } from '../../core/store';
import { storeFor, type ConsentStoreCredential } from '../../shared/store-cache';

/** What operations work with: the router builds it once per execution (STYLE.md §3). */
export interface BroadcastContext {
	store: Store;
	keys: PrivacyKeys;
	/** The Cloud API client, built on first use: Report and Record Status never need it. */
	api(): Promise<CloudApiClient>;
}

interface ApiCredential {
	accessToken?: string;
	phoneNumberId?: string;
	graphApiVersion?: string;
	baseUrl?: string;
}

export async function openContext(
	fn: IExecuteFunctions,
): Promise<{ context: BroadcastContext; close(): void }> {
	const credential = (await fn.getCredentials('consentStoreDb')) as ConsentStoreCredential;
	const { store, keys } = await storeFor(credential);
	let client: CloudApiClient | undefined;
	const context: BroadcastContext = {
		store,
		keys,
		api: async () => {
			if (!client) {
				const api = (await fn.getCredentials('whatsAppBroadcastApi')) as ApiCredential;
				client = new CloudApiClient({
					baseUrl: api.baseUrl || 'https://graph.facebook.com',
					version: api.graphApiVersion || 'v24.0',
					phoneNumberId: api.phoneNumberId ?? '',
					accessToken: api.accessToken ?? '',
				});
			}
			return client;
		},
	};
	// The store is cached per credential and stays open; only this execution's sockets close.
	return { context, close: () => client?.close() };
}
