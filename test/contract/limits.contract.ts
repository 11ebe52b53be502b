/**
 * Repeatedly undeliverable subscribers (issue 12, point 5) and the per-person limit of messages
 * forwarded to staff (point 6): one contract for both backends (sqlite.test.ts, postgres.test.ts).
 */
import type { SubscribeInput } from '../../nodes/core/store';
import { makeWamid } from '../../simulator/wamid';
import { findPhoneLeaks } from '../support/privacy';
import { storePerTest, type TempStore } from '../support/temp-store';

const PHONES = ['4915112345678', '38640123456', '436641234567'];
const HOUR = 3_600_000;
const T0 = new Date('2026-11-30T08:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

function join(phone: string): SubscribeInput {
	return {
		identity: { phone },
		language: 'de',
		source: 'whatsapp',
		keyword: 'start',
		messageId: makeWamid(phone, 1),
		textVersion: 'v1',
	};
}

export function describeLimits(makeBackend: () => TempStore): void {
	const each = storePerTest(makeBackend);

	describe('undeliverable streak', () => {
		/** One broadcast: each subscriber's send answered as given ('ok', 'sync' 131026, 'async' 131026, 'delivered'). */
		async function broadcast(
			key: string,
			answers: Array<[number, 'ok' | 'sync' | 'async' | 'delivered']>,
		): Promise<void> {
			const { id } = await each.store.openBroadcast({ key });
			await each.store.markSending(
				id,
				answers.map(([s]) => s),
			);
			await each.store.recordOutcomes(
				id,
				answers.map(([subscriberId, answer]) =>
					answer === 'sync'
						? { subscriberId, state: 'failed' as const, errorCode: 131026 }
						: {
								subscriberId,
								state: 'accepted' as const,
								messageId: `wamid.${key}.${subscriberId}`,
							},
				),
			);
			for (const [subscriberId, answer] of answers) {
				const messageId = `wamid.${key}.${subscriberId}`;
				if (answer === 'async') {
					// Meta may repeat a webhook: the broadcast still counts once.
					for (let i = 0; i < 2; i++)
						expect(
							await each.store.recordStatus({
								messageId,
								status: 'failed',
								errorCode: 131026,
								at: T0,
							}),
						).not.toBe('unknown_message');
				}
				if (answer === 'delivered')
					await each.store.recordStatus({ messageId, status: 'delivered', at: T0 });
			}
		}
		const undeliverable = async (after = 3) =>
			(await each.store.statistics({ days: 1, undeliverableAfter: after })).undeliverable;

		it('counts 131026 once per broadcast, sync or by status; a delivery resets; statistics show the flagged', async () => {
			const ids = [];
			for (const phone of PHONES) ids.push((await each.store.subscribe(join(phone))).subscriber.id);
			const [anna, boris, cleo] = ids;
			await broadcast('b1', [
				[anna, 'sync'],
				[boris, 'async'],
				[cleo, 'sync'],
			]);
			await broadcast('b2', [
				[anna, 'async'],
				[boris, 'async'],
				[cleo, 'delivered'],
			]);
			expect(await undeliverable(2)).toBe(2);
			expect(await undeliverable(3)).toBe(0);
			await broadcast('b3', [
				[anna, 'async'],
				[boris, 'ok'],
				[cleo, 'sync'],
			]);
			// anna: 3 in a row; boris: 2 and one accepted without a status yet (neutral); cleo: reset, then 1.
			expect(await undeliverable()).toBe(1);
			expect(await undeliverable(2)).toBe(2);
			expect(await undeliverable(1)).toBe(3);
			// boris's b3 turns out delivered: reset.
			await each.store.recordStatus({
				messageId: `wamid.b3.${boris}`,
				status: 'delivered',
				at: T0,
			});
			expect(await undeliverable(2)).toBe(1);
			// A late failure of an older broadcast does not undo the newer delivery.
			await each.store.recordStatus({
				messageId: `wamid.b2.${cleo}`,
				status: 'failed',
				errorCode: 131026,
				at: T0,
			});
			expect(await undeliverable(1)).toBe(2);
		});

		it('other error codes neither count nor reset', async () => {
			const { subscriber } = await each.store.subscribe(join(PHONES[0]));
			await broadcast('b1', [[subscriber.id, 'sync']]);
			const { id } = await each.store.openBroadcast({ key: 'b2' });
			await each.store.markSending(id, [subscriber.id]);
			await each.store.recordOutcomes(id, [
				{ subscriberId: subscriber.id, state: 'failed', errorCode: 131049 },
			]);
			expect(await undeliverable(1)).toBe(1);
			expect(await undeliverable(2)).toBe(0);
		});

		it('removes the flagged like a Stop, with an audit entry removed_undeliverable, and keeps the others', async () => {
			const ids = [];
			for (const phone of PHONES) ids.push((await each.store.subscribe(join(phone))).subscriber.id);
			for (const key of ['b1', 'b2', 'b3'])
				await broadcast(key, [
					[ids[0], 'async'],
					[ids[1], 'sync'],
					[ids[2], key === 'b3' ? 'delivered' : 'sync'],
				]);
			const result = await each.store.removeUndeliverable({ after: 3, at: at(0) });
			expect(result.removed.sort()).toEqual(['Gast_0001', 'Gast_0002']);
			expect(await each.db.count('subscribers')).toBe(1);
			expect(await each.store.findByIdentity({ phone: PHONES[0] })).toBeUndefined();
			expect(await each.store.findByIdentity({ phone: PHONES[2] })).toBeDefined();
			const raw = await each.db.rawContents();
			expect(raw.split('removed_undeliverable').length - 1).toBeGreaterThanOrEqual(2);
			expect(findPhoneLeaks(raw, PHONES)).toEqual([]);
			expect((await each.store.removeUndeliverable({ after: 3 })).removed).toEqual([]);
			expect((await each.store.statistics({ days: 1 })).undeliverable).toBe(0);
		});

		it('refuses a threshold that is not a whole number from 1', async () => {
			await expect(each.store.removeUndeliverable({ after: 0 })).rejects.toThrow(/from 1 to 1000/);
			await expect(each.store.statistics({ days: 1, undeliverableAfter: 1.5 })).rejects.toThrow(
				/from 1 to 1000/,
			);
		});
	});

	describe('messages forwarded to staff, per person and hour', () => {
		const anna = { phone: PHONES[0] };
		const boris = { phone: PHONES[1] };
		const bsuid = { userId: 'DE.1502576394655843' };

		it('forwards the first N of a person in an hour and holds back the rest; others are counted apart', async () => {
			const answers = [];
			for (let i = 0; i < 8; i++)
				answers.push(await each.store.admitToStaff(anna, { limit: 5, now: at(i * 60_000) }));
			expect(answers).toEqual([...Array(5).fill('forwarded'), ...Array(3).fill('held')]);
			expect(await each.store.admitToStaff(boris, { limit: 5, now: at(10 * 60_000) })).toBe(
				'forwarded',
			);
			expect(await each.store.admitToStaff(bsuid, { limit: 5, now: at(10 * 60_000) })).toBe(
				'forwarded',
			);
			// Anna's hour began with her first message: one hour later she is heard again.
			expect(await each.store.admitToStaff(anna, { limit: 5, now: at(HOUR - 1) })).toBe('held');
			expect(await each.store.admitToStaff(anna, { limit: 5, now: at(HOUR) })).toBe('forwarded');
			const raw = await each.db.rawContents();
			expect(findPhoneLeaks(raw, PHONES)).toEqual([]);
			expect(raw).not.toContain('1502576394655843');
		});

		it('a limit of 0 holds back everything', async () => {
			expect(await each.store.admitToStaff(anna, { limit: 0, now: at(0) })).toBe('held');
		});

		it('one summary an hour after the first message held back: counts of messages and people, then nothing until the next', async () => {
			for (let i = 0; i < 7; i++)
				await each.store.admitToStaff(anna, { limit: 5, now: at(i * 1000) });
			for (let i = 0; i < 6; i++)
				await each.store.admitToStaff(boris, { limit: 5, now: at(60_000 + i * 1000) });
			await each.store.admitToStaff({ phone: PHONES[2] }, { limit: 5, now: at(70_000) });
			// Anna's sixth message (at 5 s) was the first held back.
			expect(await each.store.takeHeldBackSummary({ now: at(5000 + HOUR - 1) })).toBeUndefined();
			const summary = await each.store.takeHeldBackSummary({ now: at(5000 + HOUR) });
			expect(summary).toEqual({ messages: 3, people: 2, since: at(5000), until: at(5000 + HOUR) });
			expect(await each.store.takeHeldBackSummary({ now: at(5000 + HOUR) })).toBeUndefined();
			// Nothing held since: no summary, however late; the rows of ended hours are pruned.
			expect(await each.store.takeHeldBackSummary({ now: at(5 * HOUR) })).toBeUndefined();
			await each.store.admitToStaff(anna, { limit: 5, now: at(5 * HOUR) });
			expect(await each.db.count('staff_forwards')).toBe(1);
		});

		it('a flood that goes on for hours gives one summary an hour', async () => {
			const summaries = [];
			for (let minute = 0; minute < 3 * 60; minute += 1) {
				await each.store.admitToStaff(anna, { limit: 5, now: at(minute * 60_000) });
				const summary = await each.store.takeHeldBackSummary({ now: at(minute * 60_000) });
				if (summary) summaries.push(summary);
			}
			expect(summaries.map((s) => s.people)).toEqual([1, 1]);
			expect(summaries[1].until.getTime() - summaries[0].until.getTime()).toBeGreaterThanOrEqual(
				HOUR,
			);
			// 180 messages, 5 forwarded in each of the 3 hours: 165 held back, each in one summary.
			const last = await each.store.takeHeldBackSummary({ now: at(5 * HOUR) });
			expect([...summaries, last].reduce((n, s) => n + (s?.messages ?? 0), 0)).toBe(165);
		});

		it('never forwards more than the limit under concurrent callers, and only one caller gets the summary', async () => {
			const stores = [each.store, await each.db.open(), await each.db.open()];
			const answers = await Promise.all(
				Array.from({ length: 30 }, (_, i) =>
					stores[i % 3].admitToStaff(anna, { limit: 5, now: at(i) }),
				),
			);
			expect(answers.filter((a) => a === 'forwarded')).toHaveLength(5);
			const summaries = await Promise.all(
				stores.map((s) => s.takeHeldBackSummary({ now: at(2 * HOUR) })),
			);
			expect(summaries.filter(Boolean)).toEqual([
				expect.objectContaining({ messages: 25, people: 1 }),
			]);
		});
	});
}
