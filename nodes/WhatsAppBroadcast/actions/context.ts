import type { IExecuteFunctions } from 'n8n-workflow';

import { SenderLoop, type NumberSettings, type QueueStore } from '../../core/broadcast';
import { CloudApiClient, WhatsAppChannel } from '../../core/channels/whatsapp';
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
	/**
	 * The sending loop of the credential's number over this execution's client, or (`detached`) over
	 * a client of its own that lives as long as the loop: a loop started for a caller that does not
	 * wait outlives the execution.
	 */
	senderLoop(
		store: QueueStore,
		options?: { detached?: boolean; signal?: AbortSignal },
	): Promise<{
		loop: SenderLoop<unknown>;
		/** Closes a detached loop's own client (this execution's closes with the execution). */
		close(): void;
	}>;
}

export async function createContext(
	fn: IExecuteFunctions,
): Promise<ExecutionContext<BroadcastContext>> {
	const store = await createStoreContext(fn);
	let client: CloudApiClient | undefined;
	let settings: Promise<ApiSettings> | undefined;
	const apiSettings = () => (settings ??= readApiCredential(fn));
	const newClient = async () => {
		const { baseUrl, version, phoneNumberId, accessToken } = await apiSettings();
		return new CloudApiClient({ baseUrl, version, phoneNumberId, accessToken });
	};
	const api = async () => (client ??= await newClient());
	const context: BroadcastContext = {
		...store,
		apiSettings,
		api,
		senderLoop: async (queueStore, options = {}) => {
			const settings = await apiSettings();
			const number: NumberSettings = {
				sender: settings.phoneNumberId,
				rate: settings.messagesPerSecond,
				replyShare: settings.replyShare,
			};
			const own = options.detached ? await newClient() : await api();
			const channel = new WhatsAppChannel(own);
			const loop = new SenderLoop(queueStore, channel, number, { signal: options.signal });
			return { loop, close: () => options.detached && own.close() };
		},
	};
	// The store is cached per credential and stays open; only this execution's sockets close.
	return { context, close: () => client?.close() };
}
