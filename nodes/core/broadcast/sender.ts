import type { MessageSender } from '../cloud-api';
import { InputError } from '../errors';
import type { ConsentStore, DeliveryLedger } from '../store/types';
import { prepareMessage, type MessageSpec } from './message';
import { resolveSendOptions, type SendOptions } from './options';
import { Lease } from './lease';
import { SendRun } from './send-run';

export type BroadcastStore = DeliveryLedger & Pick<ConsentStore, 'countSubscribers'>;

export interface BroadcastRequest {
	key: string;
	title?: string;
	message: MessageSpec;
}

/** What a run did, in counts only: never a number, never a wamid (wamids encode the number). */
export interface BroadcastSummary {
	key: string;
	title: string | null;
	/** False on the first run of this key; true on a rerun or a resume after a crash. */
	resumed: boolean;
	/** Sends a crash had left unanswered, settled by the delivery policy at the start. */
	recovered: number;
	recipients: number;
	sent: number;
	skippedAlreadySent: number;
	failed: number;
	failedByReason: Record<string, number>;
	/** Recipients not tried because the run stopped or aborted; a rerun sends to them. */
	notSent: number;
	aborted: boolean;
	abortReason: string | null;
	stopped: boolean;
	durationMs: number;
	messagesPerSecond: number;
}

/**
 * Sends one announcement to every subscriber not yet sent for its key (STYLE.md §5): page from the
 * store cursor → write intent → take a token → send → record the answer. A send holds its in-flight
 * slot until its outcome is durable, so a crash leaves at most `maxInFlight` sends unsettled.
 */
export async function sendBroadcast(
	store: BroadcastStore,
	api: MessageSender,
	request: BroadcastRequest,
	options: SendOptions = {},
): Promise<BroadcastSummary> {
	const resolved = resolveSendOptions(options);
	const address = prepareMessage(request.message, request.key);
	if ((await store.countSubscribers()) === 0)
		throw new InputError(
			'The consent store has no subscribers: nobody to send to. Check the Consent Store credential points at the right database.',
		);
	const started = resolved.clock.now();
	const broadcast = await store.openBroadcast({ key: request.key, title: request.title });
	const lease = await Lease.take(store, broadcast.id, resolved.leaseMs, request.key);
	let run: SendRun;
	let recovered: number;
	let before: Awaited<ReturnType<BroadcastStore['broadcastReport']>>;
	try {
		recovered = await store.recoverInterrupted(broadcast.id, resolved.policy);
		before = await store.broadcastReport(request.key);
		run = new SendRun(store, api, broadcast.id, address, resolved);
		const current = run;
		await lease.hold(current.execute(), (error) => current.fail(error));
	} finally {
		await lease.release();
	}
	const durationMs = Math.max(0, resolved.clock.now() - started);
	const skippedAlreadySent = before?.recipients ?? 0;
	const failed = Object.values(run.failedByReason).reduce((a, b) => a + b, 0);
	return {
		key: broadcast.key,
		title: broadcast.title,
		resumed: !broadcast.created,
		recovered,
		recipients: skippedAlreadySent + run.sent + failed + run.notSent,
		sent: run.sent,
		skippedAlreadySent,
		failed,
		failedByReason: run.failedByReason,
		notSent: run.notSent,
		aborted: run.abortError !== undefined,
		abortReason: run.abortError?.message ?? null,
		stopped: run.stoppedByCaller,
		durationMs: Math.round(durationMs),
		messagesPerSecond: durationMs > 0 ? Math.round((run.sent / durationMs) * 1000 * 10) / 10 : 0,
	};
}
