import { CivicBroadcastError, InputError } from '../errors';
import { StoreUnavailableError } from '../store/store-errors';
import type { QueuedBroadcast } from '../store/types';
import type { Channel } from './channel';
import { systemClock } from './clock';
import { enqueueBroadcast, type PublishRequest, type QueueStore, type SenderLoop } from './queue';
import type { BroadcastSummary } from './sender';

/** A broadcast that left the queue aborted: every further send would fail the same way. */
export class BroadcastAbortedError extends CivicBroadcastError {}

export type PublishOutcome =
	| { status: 'queued'; key: string; title: string | null; requeued: boolean }
	| ({ status: 'done' } & BroadcastSummary);

export interface PublishOptions {
	/** Return once queued (a caller that must not wait); the number's loop sends it. */
	wait: boolean;
	/** How often a waiting poster looks whether another loop finished its broadcast. */
	pollMs?: number;
	signal?: AbortSignal;
	sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
	/** Where a loop started for a caller that does not wait reports its failure (a log line). */
	onBackgroundError?: (error: unknown) => void;
	/** Called when that loop has finished, whatever the outcome (to close its client). */
	onBackgroundDone?: () => void;
}

/**
 * Queue the announcement, then (waiting) send it in this execution when the number is free, or
 * wait for the loop that holds the number to send it. Either way it is sent at the number's pace,
 * after anything more urgent, and exactly once per person however often it is posted.
 */
export async function publishBroadcast<Message>(
	loop: SenderLoop<Message>,
	request: PublishRequest,
	options: PublishOptions,
): Promise<PublishOutcome> {
	const { store } = loop;
	const { broadcast, requeued } = await enqueueBroadcast(
		store,
		loop.channel as Channel<unknown>,
		loop.number.sender,
		request,
	);
	if (!options.wait) {
		loop
			.drain()
			.catch((error) => options.onBackgroundError?.(error))
			.finally(() => options.onBackgroundDone?.());
		return { status: 'queued', key: broadcast.key, title: broadcast.title, requeued };
	}
	try {
		return await waitUntilSent(store, loop, broadcast, requeued, options);
	} catch (error) {
		if (!(error instanceof StoreUnavailableError)) throw error;
		// It was queued before the store went away: it is not lost, and nobody needs to post it again.
		throw new StoreUnavailableError(
			error.kind,
			`${error.message} Broadcast "${broadcast.key}" stays queued: the Resume Broadcasts workflow continues it once the store is back.`,
			{ cause: error },
		);
	}
}

async function waitUntilSent<Message>(
	store: QueueStore,
	loop: SenderLoop<Message>,
	broadcast: QueuedBroadcast,
	requeued: boolean,
	options: PublishOptions,
): Promise<PublishOutcome> {
	const sleep = options.sleep ?? systemClock.sleep;
	const mine: BroadcastSummary[] = [];
	for (;;) {
		const result = await loop.drain(broadcast.id);
		mine.push(...result.runs.filter((run) => run.key === broadcast.key));
		const now = await store.queuedBroadcast(broadcast.id);
		if (!now) throw new InputError(`Broadcast "${broadcast.key}" was deleted while it was sent`);
		if (now.state === 'aborted') {
			const sent = (await store.broadcastReport(now.key))?.accepted ?? 0;
			throw new BroadcastAbortedError(
				`Broadcast "${now.key}" aborted after ${sent} sent: ${now.abortReason ?? 'see the report'}. Running it again with the same key sends only to those not yet sent.`,
			);
		}
		if (now.state !== 'queued') return { status: 'done', ...(await summaryOf(store, now, mine)) };
		if (result.status === 'stopped') {
			const last = mine[mine.length - 1];
			if (last) return { status: 'done', ...last };
			return { status: 'queued', key: now.key, title: now.title, requeued };
		}
		// Another loop holds the number, or the broadcast belongs to another number (the same key
		// posted through another credential): its loop sends it; look again in a moment.
		await sleep(options.pollMs ?? 1000, options.signal);
	}
}

/**
 * This execution's run when it sent the whole broadcast in one go; otherwise (another loop sent
 * it, or it took several runs) the counts from the ledger.
 */
async function summaryOf(
	store: QueueStore,
	broadcast: QueuedBroadcast,
	runs: BroadcastSummary[],
): Promise<BroadcastSummary> {
	if (runs.length === 1 && !runs[0].yielded && !runs[0].stopped) return runs[0];
	const report = await store.broadcastReport(broadcast.key);
	const sum = (pick: (run: BroadcastSummary) => number) =>
		runs.reduce((total, run) => total + pick(run), 0);
	const failedByReason: Record<string, number> = {};
	for (const [code, n] of Object.entries(report?.failedByCode ?? {}))
		failedByReason[`code_${code}`] = n;
	return {
		key: broadcast.key,
		title: broadcast.title,
		resumed: broadcast.runs > 1,
		recovered: sum((run) => run.recovered),
		recipients: report?.recipients ?? 0,
		sent: report?.accepted ?? 0,
		skippedAlreadySent: 0,
		failed: report?.failed ?? 0,
		failedByReason,
		unknown: report?.unknown ?? 0,
		possibleDuplicates: sum((run) => run.possibleDuplicates),
		notSent: 0,
		aborted: false,
		abortReason: null,
		stopped: false,
		yielded: false,
		peakInFlight: Math.max(0, ...runs.map((run) => run.peakInFlight)),
		durationMs: sum((run) => run.durationMs),
		messagesPerSecond: 0,
	};
}
