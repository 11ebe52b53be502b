import { InputError } from '../errors';
import { EVERYONE, type Audience } from '../store/types';
import type { Channel, PreparedMessage } from './channel';
import { Lease } from './lease';
import { resolveSendOptions, type ResolvedSendOptions, type SendOptions } from './options';
import type { BroadcastRequest, BroadcastStore } from './request';
import { pacingFor, SendRun, type Pacing } from './send-run';

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
	/**
	 * Sends whose answer was lost (timeout after the request was written, connection reset) that
	 * at-most-once did not send again: they may or may not have arrived.
	 */
	unknown: number;
	/** Sends at-least-once made again after such a lost answer: each may have arrived twice. */
	possibleDuplicates: number;
	/** Recipients not tried because the run stopped or aborted; a rerun sends to them. */
	notSent: number;
	aborted: boolean;
	abortReason: string | null;
	stopped: boolean;
	/** Stopped between pages for a broadcast of higher priority on the same number; it stays queued. */
	yielded: boolean;
	/** The most requests in flight at once: a crash leaves at most this many sends unsettled. */
	peakInFlight: number;
	durationMs: number;
	messagesPerSecond: number;
}

/** One broadcast as a run sees it: its ledger row and what it sends. */
export interface RunTarget<Message> {
	id: number;
	key: string;
	title: string | null;
	resumed: boolean;
	message: PreparedMessage<Message, unknown>;
	audience: Audience;
}

/**
 * Sends one announcement through the channel to everyone in its audience not yet sent for its key
 * (ARCHITECTURE.md, Data flow), in this call, at its own pace. Announcements from the nodes go
 * through the queue instead (queue.ts), which runs the same `runBroadcast` at the number's pace.
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
	await requireSubscribers(store, audience);
	const broadcast = await store.openBroadcast({ key: request.key, title: request.title });
	return runBroadcast(
		store,
		channel,
		{
			id: broadcast.id,
			key: broadcast.key,
			title: broadcast.title,
			resumed: !broadcast.created,
			message,
			audience,
		},
		resolved,
		pacingFor(resolved),
	);
}

export async function requireSubscribers(store: BroadcastStore, audience: Audience): Promise<void> {
	if ((await store.countSubscribers(audience)) === 0)
		throw new InputError(
			'The consent store has no subscribers: nobody to send to. Check the Consent Store credential points at the right database.',
		);
}

/**
 * page from the store cursor → write intent → take a token → send → record the answer. A send
 * holds its in-flight slot until its outcome is durable, so a crash leaves at most the in-flight
 * limit of sends unsettled. Holds the broadcast's lease (one run per key at a time).
 */
export async function runBroadcast<Message>(
	store: BroadcastStore,
	channel: Channel<Message>,
	target: RunTarget<Message>,
	resolved: ResolvedSendOptions,
	pacing: Pacing,
): Promise<BroadcastSummary> {
	const started = resolved.clock.now();
	const lease = await Lease.take(store, target.id, resolved.leaseMs, target.key);
	let run: SendRun<Message>;
	let recovered: number;
	let before: Awaited<ReturnType<BroadcastStore['broadcastReport']>>;
	try {
		recovered = await store.recoverInterrupted(target.id, resolved.policy);
		before = await store.broadcastReport(target.key);
		run = new SendRun(store, channel, target.id, target.message, resolved, target.audience, pacing);
		const current = run;
		await lease.hold(current.execute(), (error) => current.fail(error));
	} finally {
		await lease.release();
	}
	const durationMs = Math.max(0, resolved.clock.now() - started);
	const skippedAlreadySent = before?.recipients ?? 0;
	const failed = Object.values(run.failedByReason).reduce((a, b) => a + b, 0);
	return {
		key: target.key,
		title: target.title,
		resumed: target.resumed,
		recovered,
		recipients: skippedAlreadySent + run.sent + failed + run.notSent,
		sent: run.sent,
		skippedAlreadySent,
		failed,
		failedByReason: run.failedByReason,
		unknown: run.failedByReason.unknown_outcome ?? 0,
		possibleDuplicates: run.possibleDuplicates,
		notSent: run.notSent,
		aborted: run.abortReason !== undefined,
		abortReason: run.abortReason ?? null,
		stopped: run.stoppedByCaller,
		yielded: run.yielded,
		peakInFlight: run.peakInFlight,
		durationMs: Math.round(durationMs),
		messagesPerSecond: durationMs > 0 ? Math.round((run.sent / durationMs) * 1000 * 10) / 10 : 0,
	};
}
