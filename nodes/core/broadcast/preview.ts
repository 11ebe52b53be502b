import type { ClientUnaddressedMessage } from '../cloud-api/wire-types';
import { prepareMessage } from './message';
import type { BroadcastRequest, BroadcastStore } from './sender';

export interface BroadcastPreview {
	key: string;
	dryRun: true;
	/** Subscribers in the store now. */
	subscribers: number;
	/** Of them, already handled under this key (a rerun skips them). */
	alreadySent: number;
	/** Those a real run would send to now. */
	wouldSend: number;
	/** The first message as it would be sent, without the recipient. */
	firstMessage: ClientUnaddressedMessage;
}

/** Dry run: counts and renders, writes nothing and sends nothing. */
export async function previewBroadcast(
	store: BroadcastStore,
	request: BroadcastRequest,
): Promise<BroadcastPreview> {
	const address = prepareMessage(request.message, request.key);
	const subscribers = await store.countSubscribers();
	const report = await store.broadcastReport(request.key);
	const alreadySent = report?.recipients ?? 0;
	// Broadcast id 0 never exists: the first subscriber of all serves as the sample recipient.
	const [first] = await store.pendingRecipients(0, 0, 1);
	const { to, ...firstMessage } = address({
		subscriberId: 0,
		pseudonym: first?.pseudonym ?? 'preview',
		language: first?.language ?? 'de',
		phone: '0',
	});
	void to; // the sample address is a placeholder, not a number
	return {
		key: request.key,
		dryRun: true,
		subscribers,
		alreadySent,
		wouldSend: Math.max(0, subscribers - alreadySent),
		firstMessage,
	};
}
