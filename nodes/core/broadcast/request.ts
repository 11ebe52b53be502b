import type { Audience, ConsentStore, DeliveryLedger } from '../store/types';
import type { MessageSpec } from './message-spec';

/** What the engine needs of the store: the ledger, and how many an audience holds. */
export type BroadcastStore = DeliveryLedger & Pick<ConsentStore, 'countSubscribers'>;

export interface BroadcastRequest {
	/** The idempotency key: a rerun of the same key sends only to those not yet sent. */
	key: string;
	title?: string;
	message: MessageSpec;
	/** Who receives it; everyone unless narrowed. */
	audience?: Audience;
}
