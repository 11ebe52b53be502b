import type { EnqueueInput } from '../../nodes/core/store';
import { storePerTest, type TempStore } from '../support/temp-store';

const SENDER = '100000000000001';

function post(key: string, extra: Partial<EnqueueInput> = {}): EnqueueInput {
	return {
		key,
		sender: SENDER,
		message: { mode: 'text', text: `Nachricht ${key}` },
		audience: { kind: 'everyone' },
		priority: 0,
		settings: { policy: 'at-least-once' },
		...extra,
	};
}

/** The broadcast queue and the sender lease: one contract for SQLite and PostgreSQL. */
export function describeBroadcastQueue(makeBackend: () => TempStore): void {
	const each = storePerTest(makeBackend);

	it('keeps a broadcast with its message, audience, priority and settings before any send', async () => {
		const { broadcast, created, requeued } = await each.store.enqueueBroadcast(
			post('k1', { title: 'Wasser', priority: 10, settings: { policy: 'at-most-once', rate: 5 } }),
		);
		expect({ created, requeued }).toEqual({ created: true, requeued: false });
		expect(broadcast).toMatchObject({
			key: 'k1',
			title: 'Wasser',
			sender: SENDER,
			message: { mode: 'text', text: 'Nachricht k1' },
			audience: { kind: 'everyone' },
			priority: 10,
			settings: { policy: 'at-most-once', rate: 5 },
			state: 'queued',
			runs: 0,
			abortReason: null,
		});
		expect(await each.store.queuedBroadcast(broadcast.id)).toEqual(broadcast);
	});

	it('posting a queued key again changes nothing; a finished one is queued again with its first message', async () => {
		const first = await each.store.enqueueBroadcast(post('k'));
		const again = await each.store.enqueueBroadcast(
			post('k', { message: { mode: 'text', text: 'anders' } }),
		);
		expect(again).toMatchObject({ created: false, requeued: false });
		expect(again.broadcast.id).toBe(first.broadcast.id);
		await each.store.finishBroadcast(first.broadcast.id, { state: 'done' });
		const rerun = await each.store.enqueueBroadcast(
			post('k', { message: { mode: 'text', text: 'anders' } }),
		);
		expect(rerun).toMatchObject({ created: false, requeued: true });
		expect(rerun.broadcast).toMatchObject({
			state: 'queued',
			message: { mode: 'text', text: 'Nachricht k' },
		});
	});

	it('hands out the highest priority first, then the oldest, per sender', async () => {
		const a = (await each.store.enqueueBroadcast(post('a'))).broadcast;
		const b = (await each.store.enqueueBroadcast(post('b'))).broadcast;
		const urgent = (await each.store.enqueueBroadcast(post('u', { priority: 10 }))).broadcast;
		await each.store.enqueueBroadcast(post('other', { sender: '999', priority: 99 }));
		expect((await each.store.nextQueued(SENDER))?.key).toBe('u');
		expect(await each.store.countQueuedAbove(SENDER, 0)).toBe(1);
		expect(await each.store.countQueuedAbove(SENDER, 10)).toBe(0);
		await each.store.finishBroadcast(urgent.id, { state: 'done' });
		expect((await each.store.nextQueued(SENDER))?.key).toBe('a');
		await each.store.finishBroadcast(a.id, { state: 'aborted', reason: 'Token abgelaufen' });
		expect((await each.store.nextQueued(SENDER))?.key).toBe('b');
		await each.store.finishBroadcast(b.id, { state: 'cancelled' });
		expect(await each.store.nextQueued(SENDER)).toBeUndefined();
		expect(await each.store.queuedBroadcast(a.id)).toMatchObject({
			state: 'aborted',
			abortReason: 'Token abgelaufen',
		});
	});

	it('counts runs, reports resumptions, and a finished broadcast keeps its first outcome', async () => {
		const { broadcast } = await each.store.enqueueBroadcast(post('r'));
		expect(await each.store.startRun(broadcast.id)).toBe(1);
		expect(await each.store.startRun(broadcast.id)).toBe(2);
		await each.store.finishBroadcast(broadcast.id, { state: 'done' });
		await each.store.finishBroadcast(broadcast.id, { state: 'aborted', reason: 'spät' });
		expect(await each.store.broadcastReport('r')).toMatchObject({ state: 'done', resumptions: 1 });
	});

	it('grants a sender lease to one owner until it runs out or is given up', async () => {
		const soon = new Date(Date.now() + 60_000);
		expect(await each.store.claimSender(SENDER, 'w1', soon)).toBe(true);
		expect(await each.store.claimSender(SENDER, 'w2', soon)).toBe(false);
		expect(await each.store.claimSender('999', 'w2', soon)).toBe(true);
		// Renewal by the holder.
		expect(await each.store.claimSender(SENDER, 'w1', soon)).toBe(true);
		await each.store.releaseSender(SENDER, 'w2'); // not the holder: no effect
		expect(await each.store.claimSender(SENDER, 'w2', soon)).toBe(false);
		await each.store.releaseSender(SENDER, 'w1');
		expect(await each.store.claimSender(SENDER, 'w2', soon)).toBe(true);
		// w2 dies: its lease runs out, and w3 takes it.
		expect(await each.store.claimSender(SENDER, 'w2', new Date(Date.now() - 1))).toBe(true);
		expect(await each.store.claimSender(SENDER, 'w3', soon)).toBe(true);
	});

	it('lets exactly one of many owners racing for a free number win', async () => {
		const soon = new Date(Date.now() + 60_000);
		const wins = await Promise.all(
			Array.from({ length: 12 }, (_, i) => each.store.claimSender(SENDER, `w${i}`, soon)),
		);
		expect(wins.filter(Boolean)).toHaveLength(1);
	});

	it('counts replies per number and second, across racing callers, up to the limit', async () => {
		const second = Math.floor(Date.now() / 1000);
		const racing = await Promise.all(
			Array.from({ length: 10 }, () => each.store.takeReplySlot(SENDER, second, 3)),
		);
		expect(racing.filter(Boolean)).toHaveLength(3);
		expect(await each.store.takeReplySlot(SENDER, second, 3)).toBe(false);
		expect(await each.store.takeReplySlot('999', second, 3)).toBe(true);
		expect(await each.store.takeReplySlot(SENDER, second + 1, 3)).toBe(true);
		// The counter shares the lease's row and leaves the lease alone.
		const soon = new Date(Date.now() + 60_000);
		expect(await each.store.claimSender(SENDER, 'w1', soon)).toBe(true);
		expect(await each.store.takeReplySlot(SENDER, second + 2, 3)).toBe(true);
		expect(await each.store.claimSender(SENDER, 'w2', soon)).toBe(false);
	});
}
