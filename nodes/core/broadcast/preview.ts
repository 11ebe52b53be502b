import { DEFAULT_LANGUAGE } from '../language';
import { EVERYONE } from '../store/types';
import type { MessageRenderer } from './channel';
import type { BroadcastRequest, BroadcastStore } from './request';

export interface BroadcastPreview<Preview = unknown> {
	key: string;
	dryRun: true;
	/** Subscribers in the audience now. */
	subscribers: number;
	/** Of them, already handled under this key (a rerun skips them). */
	alreadySent: number;
	/** Those a real run would send to now. */
	wouldSend: number;
	/** The first message as it would be sent, without the recipient. */
	firstMessage: Preview;
}

/** Dry run: counts and renders, writes nothing and sends nothing. */
export async function previewBroadcast<Preview>(
	store: BroadcastStore,
	renderer: MessageRenderer<unknown, Preview>,
	request: BroadcastRequest,
): Promise<BroadcastPreview<Preview>> {
	const audience = request.audience ?? EVERYONE;
	const message = renderer.prepare(request.message, request.key);
	const subscribers = await store.countSubscribers(audience);
	const report = await store.broadcastReport(request.key);
	const alreadySent = report?.recipients ?? 0;
	// Broadcast id 0 never exists: the audience's first subscriber serves as the sample recipient.
	const [first] = await store.pendingRecipients(0, { audience, after: 0, limit: 1 });
	const firstMessage = message.preview(first?.language ?? DEFAULT_LANGUAGE);
	return {
		key: request.key,
		dryRun: true,
		subscribers,
		alreadySent,
		wouldSend: Math.max(0, subscribers - alreadySent),
		firstMessage,
	};
}
