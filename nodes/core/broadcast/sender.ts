import { InputError } from '../errors';
import { EVERYONE } from '../store/types';
import type { Channel } from './channel';
import { Lease } from './lease';
import { resolveSendOptions, type SendOptions } from './options';
import type { BroadcastRequest, BroadcastStore } from './request';
import { SendRun } from './send-run';

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
 * Sends one announcement through the channel to everyone in its audience not yet sent for its key
 * (ARCHITECTURE.md, Data flow): page from the store cursor → write intent → take a token → send →
 * record the answer. A send holds its in-flight slot until its outcome is durable, so a crash
 * leaves at most `maxInFlight` sends unsettled.
 */
export async function sendBroadcast<Message>(
	store: BroadcastStore,
	channel: Channel<Message>,
	request: BroadcastRequest,
	options: SendOptions = {},
): Promise<BroadcastSummary> {
	const resolved = resolveSendOptions(options);
	const audience = request.audience ?? EVERYONE;
	const message = channel.prepare(request.message, request.key);
	if ((await store.countSubscribers(audience)) === 0)
		throw new InputError(
			'The consent store has no subscribers: nobody to send to. Check the Consent Store credential points at the right database.',
		);
	const started = resolved.clock.now();
	const broadcast = await store.openBroadcast({ key: request.key, title: request.title });
	const lease = await Lease.take(store, broadcast.id, resolved.leaseMs, request.key);
	let run: SendRun<Message>;
	let recovered: number;
	let before: Awaited<ReturnType<BroadcastStore['broadcastReport']>>;
	try {
		recovered = await store.recoverInterrupted(broadcast.id, resolved.policy);
		before = await store.broadcastReport(request.key);
		run = new SendRun(store, channel, broadcast.id, message, resolved, audience);
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
		aborted: run.abortReason !== undefined,
		abortReason: run.abortReason ?? null,
		stopped: run.stoppedByCaller,
		durationMs: Math.round(durationMs),
		messagesPerSecond: durationMs > 0 ? Math.round((run.sent / durationMs) * 1000 * 10) / 10 : 0,
	};
}
