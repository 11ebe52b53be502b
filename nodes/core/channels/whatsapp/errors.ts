import { CivicBroadcastError } from '../../errors';

/**
 * What the sender does about an error (see the table in the WhatsApp reference):
 * - `throttle`: the whole sender slows down (130429, 4, 80007), then retries;
 * - `pair-rate`: only this recipient waits (131056), then retries;
 * - `retry`: temporary (5xx, 1, 2, 131000, …, network, timeout), retry with backoff;
 * - `skip`: this recipient cannot get the message; count it and go on;
 * - `abort`: every further send would fail the same way; stop the broadcast.
 */
export type RetryClass = 'throttle' | 'pair-rate' | 'retry' | 'skip' | 'abort';

/**
 * A failed Cloud API call. `certain` is false when the request may have reached Meta and been
 * accepted without us seeing the answer (timeout, connection lost): a retry may then duplicate.
 * The message never carries the recipient's number (Meta's `details` text may, so it is dropped).
 */
export class CloudApiError extends CivicBroadcastError {
	constructor(
		message: string,
		readonly httpStatus: number | undefined,
		readonly code: number | undefined,
		readonly retryClass: RetryClass,
		readonly certain: boolean,
		options?: { cause?: unknown },
	) {
		super(message, options);
	}
}
