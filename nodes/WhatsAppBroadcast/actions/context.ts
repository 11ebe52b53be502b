import type { IExecuteFunctions } from 'n8n-workflow';

import { CloudApiClient } from '../../core/channels/whatsapp';
import { readApiCredential, type ApiSettings } from '../../shared/api-credential';
import type { ExecutionContext } from '../../shared/router';
import { createStoreContext, type StoreContext } from '../../shared/store-context';

export type { ApiSettings };

/** What operations work with: the store and the Cloud API client, each opened on first use. */
export interface BroadcastContext extends StoreContext {
	/** The Cloud API client, built on first use: Report and Record Status never need it. */
	api(): Promise<CloudApiClient>;
	/** The WhatsApp Broadcast API credential's values, defaults applied. */
	apiSettings(): Promise<ApiSettings>;
}

export async function createContext(
	fn: IExecuteFunctions,
): Promise<ExecutionContext<BroadcastContext>> {
	const store = await createStoreContext(fn);
	let client: CloudApiClient | undefined;
	let settings: Promise<ApiSettings> | undefined;
	const apiSettings = () => (settings ??= readApiCredential(fn));
	const context: BroadcastContext = {
		...store,
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
