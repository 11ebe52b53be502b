import type { FunctionsBase } from 'n8n-workflow';

/** The credential type of the WhatsApp Cloud API side: one Meta app and one business number. */
const API_CREDENTIAL = 'whatsAppBroadcastApi';

/** Defaults of the credential's fields; the credential form shows the same. */
export const DEFAULT_BASE_URL = 'https://graph.facebook.com';
export const DEFAULT_GRAPH_API_VERSION = 'v26.0';
/** Meta's throughput per business number unless raised (docs/whatsapp-platform.md). */
export const DEFAULT_MESSAGES_PER_SECOND = 80;
export const DEFAULT_REPLY_SHARE_PERCENT = 10;

/** The `whatsAppBroadcastApi` credential with defaults applied; empty strings where nothing is set. */
export interface ApiSettings {
	/** Without a trailing slash. */
	baseUrl: string;
	version: string;
	phoneNumberId: string;
	accessToken: string;
	wabaId: string;
	appSecret: string;
	verifyToken: string;
	/** The number's messages per second, replies included. */
	messagesPerSecond: number;
	/** The share (0–0.5) of that rate announcements leave for replies. */
	replyShare: number;
}

interface ApiCredential {
	accessToken?: string;
	phoneNumberId?: string;
	wabaId?: string;
	appSecret?: string;
	verifyToken?: string;
	graphApiVersion?: string;
	baseUrl?: string;
	messagesPerSecond?: number;
	replySharePercent?: number;
}

/** The one reader of the API credential, for the nodes, the trigger's webhooks and its hooks. */
export async function readApiCredential(
	fn: Pick<FunctionsBase, 'getCredentials'>,
): Promise<ApiSettings> {
	const api = await fn.getCredentials<ApiCredential>(API_CREDENTIAL);
	return {
		baseUrl: (api.baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, ''),
		version: api.graphApiVersion || DEFAULT_GRAPH_API_VERSION,
		phoneNumberId: String(api.phoneNumberId ?? ''),
		accessToken: String(api.accessToken ?? ''),
		wabaId: String(api.wabaId ?? '').trim(),
		appSecret: String(api.appSecret ?? ''),
		verifyToken: String(api.verifyToken ?? ''),
		messagesPerSecond: Number(api.messagesPerSecond ?? DEFAULT_MESSAGES_PER_SECOND),
		replyShare: Number(api.replySharePercent ?? DEFAULT_REPLY_SHARE_PERCENT) / 100,
	};
}
