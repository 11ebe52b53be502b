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
	/** The WhatsApp Broadcast API credential's values, defaults applied. */
	apiSettings(): Promise<ApiSettings>;
}

export interface ApiSettings {
	baseUrl: string;
	version: string;
	phoneNumberId: string;
	accessToken: string;
	wabaId: string;
}

interface ApiCredential {
	accessToken?: string;
	phoneNumberId?: string;
	wabaId?: string;
	graphApiVersion?: string;
	baseUrl?: string;
}

export async function openContext(
	fn: IExecuteFunctions,
): Promise<{ context: BroadcastContext; close(): void }> {
	const credential = (await fn.getCredentials('consentStoreDb')) as ConsentStoreCredential;
	const { store, keys } = await storeFor(credential);
	let client: CloudApiClient | undefined;
	let settings: Promise<ApiSettings> | undefined;
	const apiSettings = () =>
		(settings ??= fn.getCredentials<ApiCredential>('whatsAppBroadcastApi').then((api) => ({
			baseUrl: (api.baseUrl || 'https://graph.facebook.com').replace(/\/+$/, ''),
			version: api.graphApiVersion || 'v24.0',
			phoneNumberId: api.phoneNumberId ?? '',
			accessToken: api.accessToken ?? '',
			wabaId: String(api.wabaId ?? '').trim(),
		})));
	const context: BroadcastContext = {
		store,
		keys,
		apiSettings,
		api: async () => {
			if (!client) {
				const { baseUrl, version, phoneNumberId, accessToken } = await apiSettings();
				client = new CloudApiClient({ baseUrl, version, phoneNumberId, accessToken });
			}
			return client;
		},
	};
	// The store is cached per credential and stays open; only this execution's sockets close.
	return { context, close: () => client?.close() };
}
