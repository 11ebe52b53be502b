/**
 * The durable inbox and Meta-timestamp order: one contract for both backends, run next to the
 * consent store's (sqlite.test.ts, postgres.test.ts).
 */
import { makeWamid } from '../../simulator/wamid';
import type { ReceivedEvent, SubscribeInput } from '../../nodes/core/store';
import { findPhoneLeaks } from '../support/privacy';
import { storePerTest, type TempStore } from '../support/temp-store';

const ANNA = '4915790317264';
const BORIS = '4917623981457';
const MINUTE = 60_000;
const T0 = new Date('2026-11-22T10:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE);

function start(phone: string, when: Date, extra: Partial<SubscribeInput> = {}): SubscribeInput {
	return {
		identity: { phone },
		language: 'de',
		source: 'whatsapp',
		keyword: 'start',
		messageId: makeWamid(phone, when.getTime()),
		textVersion: 'v1',
		at: when,
		...extra,
	};
}
const stop = (when: Date) => ({ source: 'whatsapp' as const, keyword: 'stop', at: when });

/** A message event as the trigger hands it to the store: key, sealed item, Meta's time. */
function message(key: string, text: string, sentAt = T0): ReceivedEvent {
	return { key, inbox: { item: { sender: 'sealed1.x', text, inbox: `ref-of-${key}` }, sentAt } };
}

export function describeInboxStore(makeBackend: () => TempStore): void {
	const each = storePerTest(makeBackend);

	describe('durable inbox', () => {
		it('claims keys and keeps the items of fresh messages in one call; duplicates keep nothing', async () => {
			const now = at(0);
			const fresh = await each.store.receiveEvents(
				[message('m:1', 'Start'), { key: 's:1:read' }, message('m:1', 'Start')],
				{ now },
			);
			expect(fresh).toEqual(['m:1', 's:1:read']);
			expect(await each.db.count('inbox')).toBe(1);
			expect(await each.store.receiveEvents([message('m:1', 'Start')], { now })).toEqual([]);
			expect(await each.store.claimEventKeys(['m:1', 'm:2'], { now })).toEqual(['m:2']);
			expect(await each.db.count('inbox')).toBe(1);
		});

		it('hands out open items after the delay, oldest Meta time first, each again only after the delay', async () => {
			await each.store.receiveEvents(
				[message('m:b', 'Stop', at(-1)), message('m:a', 'Start', at(-2)), message('m:c', 'x')],
				{ now: at(0) },
			);
			expect(
				await each.store.pendingInbox({ olderThanMs: 2 * MINUTE, limit: 10, now: at(1) }),
			).toEqual([]);
			const due = await each.store.pendingInbox({ olderThanMs: 2 * MINUTE, limit: 2, now: at(2) });
			expect(due.map((e) => e.item.text)).toEqual(['Start', 'Stop']);
			expect(due[0]).toMatchObject({
				item: { sender: 'sealed1.x', text: 'Start', inbox: 'ref-of-m:a' },
				sentAt: at(-2),
				receivedAt: at(0),
				attempts: 1,
			});
			const [third] = await each.store.pendingInbox({
				olderThanMs: 2 * MINUTE,
				limit: 10,
				now: at(2),
			});
			expect(third.item.text).toBe('x');
			// Handed out at minute 2: not again before minute 4.
			expect(
				await each.store.pendingInbox({ olderThanMs: 2 * MINUTE, limit: 10, now: at(3) }),
			).toEqual([]);
			const again = await each.store.pendingInbox({
				olderThanMs: 2 * MINUTE,
				limit: 10,
				now: at(4),
			});
			expect(again.map((e) => [e.item.text, e.attempts])).toEqual([
				['Start', 2],
				['Stop', 2],
				['x', 2],
			]);
		});

		it('marks rows done once, says which were done before or unknown, and never hands them out again', async () => {
			await each.store.receiveEvents([message('m:1', 'Start'), message('m:2', 'Stop')], {
				now: at(0),
			});
			const [first, second] = await each.store.pendingInbox({
				olderThanMs: 0,
				limit: 10,
				now: at(0),
			});
			expect(
				await each.store.markInboxDone([first.ref, first.ref, 'no-such-ref'], { now: at(1) }),
			).toEqual(['done_now', 'done_before', 'unknown']);
			const left = await each.store.pendingInbox({ olderThanMs: 0, limit: 10, now: at(10) });
			expect(left.map((e) => e.ref)).toEqual([second.ref]);
			expect(first.ref).toMatch(/^[A-Za-z0-9_-]{22}$/);
		});

		it('prunes done rows after a day and open ones after 7 days', async () => {
			await each.store.receiveEvents([message('m:1', 'a'), message('m:2', 'b')], { now: at(0) });
			const [done] = await each.store.pendingInbox({ olderThanMs: 0, limit: 1, now: at(0) });
			await each.store.markInboxDone([done.ref], { now: at(0) });
			await each.store.receiveEvents([message('m:3', 'c', at(24 * 60))], { now: at(24 * 60 + 1) });
			expect(await each.db.count('inbox')).toBe(2);
			await each.store.receiveEvents([message('m:4', 'd', at(7 * 24 * 60))], {
				now: at(7 * 24 * 60 + 1),
			});
			// m:2 was never done: given up after 7 days; m:3 and m:4 remain.
			const open = await each.store.pendingInbox({
				olderThanMs: 0,
				limit: 10,
				now: at(7 * 24 * 60 + 1),
			});
			expect(open.map((e) => e.item.text)).toEqual(['c', 'd']);
		});

		it('keeps the item encrypted: the message text and a number in it are not in the database', async () => {
			await each.store.receiveEvents(
				[message('m:1', `Rückruf bitte an ${ANNA}, Sperrmüll-Termin Quittenweg`)],
				{ now: at(0) },
			);
			await each.store.close();
			const raw = await each.db.rawContents();
			expect(raw).not.toContain('Quittenweg');
			expect(findPhoneLeaks(raw, [ANNA])).toEqual([]);
		});
	});

	describe('Start and Stop in Meta’s timestamp order', () => {
		const subscribed = async (phone: string) =>
			(await each.store.findByIdentity({ phone })) !== undefined;

		it('an older Stop arriving after a newer Start changes nothing', async () => {
			expect((await each.store.subscribeInOrder(start(ANNA, at(2)), { at: at(2) })).status).toBe(
				'created',
			);
			expect(
				await each.store.unsubscribeInOrder({ phone: ANNA }, stop(at(1)), { at: at(1) }),
			).toEqual({ status: 'stale' });
			expect(await subscribed(ANNA)).toBe(true);
		});

		it('an older Start arriving after a newer Stop does not subscribe again (the tombstone)', async () => {
			await each.store.subscribeInOrder(start(ANNA, at(1)), { at: at(1) });
			expect(
				(await each.store.unsubscribeInOrder({ phone: ANNA }, stop(at(3)), { at: at(3) })).status,
			).toBe('deleted');
			expect(await each.store.subscribeInOrder(start(ANNA, at(2)), { at: at(2) })).toEqual({
				status: 'stale',
			});
			expect(await subscribed(ANNA)).toBe(false);
			// A newer Start does.
			expect((await each.store.subscribeInOrder(start(ANNA, at(4)), { at: at(4) })).status).toBe(
				'created',
			);
		});

		it('in order: Start, Stop, Start all apply; a late middle Stop after the last Start does not', async () => {
			await each.store.subscribeInOrder(start(BORIS, at(1)), { at: at(1) });
			await each.store.subscribeInOrder(start(BORIS, at(3)), { at: at(3) });
			expect(
				await each.store.unsubscribeInOrder({ phone: BORIS }, stop(at(2)), { at: at(2) }),
			).toEqual({ status: 'stale' });
			expect(await subscribed(BORIS)).toBe(true);
		});

		it('on equal timestamps the Stop wins, whichever arrives first', async () => {
			await each.store.subscribeInOrder(start(ANNA, at(1)), { at: at(1) });
			expect(
				(await each.store.unsubscribeInOrder({ phone: ANNA }, stop(at(1)), { at: at(1) })).status,
			).toBe('deleted');
			await each.store.unsubscribeInOrder({ phone: BORIS }, stop(at(1)), { at: at(1) });
			expect(await each.store.subscribeInOrder(start(BORIS, at(1)), { at: at(1) })).toEqual({
				status: 'stale',
			});
			expect([await subscribed(ANNA), await subscribed(BORIS)]).toEqual([false, false]);
			// The same Start twice at one time is idempotent, not stale.
			await each.store.subscribeInOrder(start(ANNA, at(5)), { at: at(5) });
			expect((await each.store.subscribeInOrder(start(ANNA, at(5)), { at: at(5) })).status).toBe(
				'existing',
			);
		});

		it('orders a person known by number and user ID by either', async () => {
			await each.store.subscribeInOrder(
				start(ANNA, at(1), { identity: { phone: ANNA, userId: 'DE.anna' } }),
				{ at: at(1) },
			);
			await each.store.unsubscribeInOrder({ userId: 'DE.anna' }, stop(at(3)), { at: at(3) });
			expect(await each.store.subscribeInOrder(start(ANNA, at(2)), { at: at(2) })).toEqual({
				status: 'stale',
			});
		});

		it('closes the message’s inbox row with it: the same message again is already done', async () => {
			await each.store.receiveEvents([message('m:1', 'Start', at(1))], { now: at(1) });
			const [entry] = await each.store.pendingInbox({ olderThanMs: 0, limit: 1, now: at(1) });
			const origin = { at: at(1), inboxRef: entry.ref };
			expect((await each.store.subscribeInOrder(start(ANNA, at(1)), origin)).status).toBe(
				'created',
			);
			expect(await each.store.subscribeInOrder(start(ANNA, at(1)), origin)).toEqual({
				status: 'already_done',
			});
			expect(await each.store.pendingInbox({ olderThanMs: 0, limit: 1, now: at(9) })).toEqual([]);
			// A stale message is done too: it was handled, by changing nothing.
			await each.store.receiveEvents([message('m:2', 'Stop', at(0))], { now: at(1) });
			const [late] = await each.store.pendingInbox({ olderThanMs: 0, limit: 1, now: at(1) });
			expect(
				await each.store.unsubscribeInOrder({ phone: ANNA }, stop(at(0)), {
					at: at(0),
					inboxRef: late.ref,
				}),
			).toEqual({ status: 'stale' });
			expect(await each.store.markInboxDone([late.ref])).toEqual(['done_before']);
		});

		it('forgets the clock 7 days after the last message: the tombstone keeps no number', async () => {
			await each.store.subscribeInOrder(start(ANNA, at(0)), { at: at(0) });
			await each.store.unsubscribeInOrder({ phone: ANNA }, stop(at(1)), { at: at(1) });
			expect(await each.db.count('consent_clock')).toBe(1);
			await each.store.close();
			const raw = await each.db.rawContents();
			expect(findPhoneLeaks(raw, [ANNA])).toEqual([]);
			const later = await each.db.open();
			const eightDays = at(8 * 24 * 60);
			await later.subscribeInOrder(start(BORIS, eightDays), { at: eightDays });
			expect(await each.db.count('consent_clock')).toBe(1);
		});

		it('many concurrent Starts and Stops of one person end in the state of the newest message', async () => {
			const stores = [each.store, await each.db.open(), await each.db.open()];
			const minutes = Array.from({ length: 60 }, (_, i) => i + 1);
			// Shuffled deterministically: arrival order unrelated to Meta's order.
			const order = minutes.map((m) => (m * 37) % 61);
			const newest = Math.max(...order);
			const joins = (m: number) => m % 3 !== 0;
			await Promise.all(
				order.map((m, i) => {
					const target = stores[i % stores.length];
					return joins(m)
						? target.subscribeInOrder(start(ANNA, at(m)), { at: at(m) })
						: target.unsubscribeInOrder({ phone: ANNA }, stop(at(m)), { at: at(m) });
				}),
			);
			expect(await subscribed(ANNA)).toBe(joins(newest));
		});
	});
}
