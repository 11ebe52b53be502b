/**
 * Runs one broadcast in its own process, so the crash test can SIGKILL it mid-send.
 * Usage: tsx broadcast-child.ts <json config>
 */
import { sendBroadcast } from '../../nodes/core/broadcast';
import { CloudApiClient, WhatsAppChannel } from '../../nodes/core/channels/whatsapp';
import { openStore, type DeliveryPolicy } from '../../nodes/core/store';
import { storeConfigFrom, type ConsentStoreCredential } from '../../nodes/shared/store-cache';
import { ANNOUNCEMENT, GENEROUS_TIMEOUT_MS } from '../core/broadcast/support';

interface ChildConfig {
	/** The test's Consent Store credential: the child opens the store as the nodes do. */
	credential: ConsentStoreCredential;
	baseUrl: string;
	phoneNumberId: string;
	accessToken: string;
	key: string;
	policy: DeliveryPolicy;
	maxInFlight: number;
	leaseMs: number;
}

async function main(): Promise<void> {
	const config = JSON.parse(process.argv[2]) as ChildConfig;
	const store = await openStore(storeConfigFrom(config.credential));
	const client = new CloudApiClient({
		baseUrl: config.baseUrl,
		version: 'v24.0',
		phoneNumberId: config.phoneNumberId,
		accessToken: config.accessToken,
		// Only SIGKILL may interrupt a send here: a timeout on a busy machine would add duplicates.
		timeoutMs: GENEROUS_TIMEOUT_MS,
	});
	const summary = await sendBroadcast(
		store,
		new WhatsAppChannel(client),
		{ key: config.key, message: ANNOUNCEMENT },
		{
			rate: 0,
			maxInFlight: config.maxInFlight,
			policy: config.policy,
			pageSize: 50,
			leaseMs: config.leaseMs,
		},
	);
	client.close();
	await store.close();
	process.stdout.write(JSON.stringify(summary));
}

main().catch((error: unknown) => {
	process.stderr.write(String(error instanceof Error ? error.stack : error));
	process.exit(1);
});
