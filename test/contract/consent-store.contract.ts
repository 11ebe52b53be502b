/**
 * Why this file is long: one contract for both backends: every promise of the store in
 * one suite, so SQLite and PostgreSQL cannot drift apart.
 */
import { DecryptionError } from '../../nodes/core/errors';
import { derivePrivacyKeys } from '../../nodes/core/privacy/keys';
import { EVERYONE, type SubscribeInput } from '../../nodes/core/store';
import { LATEST_VERSION } from '../../nodes/core/store/migrations';
import { makeWamid } from '../../simulator/wamid';
import { findPhoneLeaks } from '../support/privacy';
import { storePerTest, type TempStore } from '../support/temp-store';

const PHONES = ['4915112345678', '38640123456', '436641234567', '41791234567'];

function join(phone: string, extra: Partial<SubscribeInput> = {}): SubscribeInput {
	return {
		identity: { phone },
		language: 'de',
		source: 'whatsapp',
		keyword: 'start',
		messageId: makeWamid(phone, 1),
		textVersion: 'v1',
		...extra,
	};
}

const left = { source: 'whatsapp' as const, keyword: 'stop' };

/** The one contract both backends must meet (ARCHITECTURE.md, The store). */
export function describeConsentStore(makeBackend: () => TempStore): void {
	const each = storePerTest(makeBackend);

	describe('subscribers', () => {
		it('subscribes with proof of consent, then reports an existing subscriber', async () => {
			const at = new Date('2026-11-01T10:00:00Z');
			const first = await each.store.subscribe(join(PHONES[0], { at }));
			expect(first.status).toBe('created');
			expect(first.subscriber).toMatchObject({
				pseudonym: 'Gast_0001',
				language: 'de',
				consentAt: at,
				consentSource: 'whatsapp',
				consentKeyword: 'start',
				consentMessageId: makeWamid(PHONES[0], 1),
				consentTextVersion: 'v1',
				hasPhone: true,
				hasUserId: false,
			});
			const again = await each.store.subscribe(join(PHONES[0]));
			expect(again.status).toBe('existing');
			expect(again.subscriber.pseudonym).toBe('Gast_0001');
			expect(await each.store.countSubscribers()).toBe(1);
		});

		it('finds people by number, user ID or pseudonym and links a user ID to a known number', async () => {
			await each.store.subscribe(join(PHONES[0]));
			const linked = await each.store.subscribe(
				join(PHONES[0], { identity: { phone: PHONES[0], userId: 'DE.user.1' } }),
			);
			expect(linked.status).toBe('existing');
			expect(linked.subscriber.hasUserId).toBe(true);
			expect((await each.store.findByIdentity({ userId: 'DE.user.1' }))?.pseudonym).toBe(
				'Gast_0001',
			);
			expect((await each.store.findByPseudonym('Gast_0001'))?.hasPhone).toBe(true);
			expect(await each.store.findByIdentity({ phone: PHONES[1] })).toBeUndefined();
			const onlyUser = await each.store.subscribe(join('', { identity: { userId: 'DE.user.2' } }));
			expect(onlyUser.subscriber).toMatchObject({
				pseudonym: 'Gast_0002',
				hasPhone: false,
				hasUserId: true,
			});
			expect(await each.store.recipientByPseudonym('Gast_0001')).toEqual({
				subscriberId: linked.subscriber.id,
				pseudonym: 'Gast_0001',
				language: 'de',
				phone: PHONES[0],
				userId: 'DE.user.1',
			});
		});

		it('deletes a subscriber, their number and their deliveries at once, keeping only an audit line', async () => {
			const { subscriber } = await each.store.subscribe(join(PHONES[0]));
			await each.store.subscribe(join(PHONES[1]));
			const broadcast = await each.store.openBroadcast({ key: 'b1' });
			await each.store.markSending(broadcast.id, [subscriber.id]);
			await each.store.recordOutcomes(broadcast.id, [
				{ subscriberId: subscriber.id, state: 'accepted', messageId: 'wamid.1' },
			]);
			expect(await each.store.unsubscribe({ phone: PHONES[0] }, left)).toEqual({
				status: 'deleted',
				pseudonym: 'Gast_0001',
				language: 'de',
			});
			expect(await each.store.findByIdentity({ phone: PHONES[0] })).toBeUndefined();
			expect(await each.db.count('subscribers')).toBe(1);
			expect(await each.db.count('deliveries')).toBe(0);
			expect(await each.store.unsubscribe({ phone: PHONES[0] }, left)).toEqual({
				status: 'not_found',
			});
			expect(await each.store.unsubscribePseudonym('Gast_0002', { source: 'manual' })).toEqual({
				status: 'deleted',
				pseudonym: 'Gast_0002',
				language: 'de',
			});
		});

		it('never reuses a pseudonym, and moves past imported ones', async () => {
			await each.store.subscribe(join(PHONES[0]));
			await each.store.unsubscribe({ phone: PHONES[0] }, left);
			expect((await each.store.subscribe(join(PHONES[0]))).subscriber.pseudonym).toBe('Gast_0002');
			const imported = await each.store.subscribe(
				join(PHONES[1], { source: 'import', pseudonym: 'Gast_0041' }),
			);
			expect(imported.subscriber.pseudonym).toBe('Gast_0041');
			expect((await each.store.subscribe(join(PHONES[2]))).subscriber.pseudonym).toBe('Gast_0042');
		});

		it('moves past a far imported number and past imports of another prefix', async () => {
			await each.store.subscribe(join(PHONES[0], { source: 'import', pseudonym: 'Gast_50000' }));
			await each.store.subscribe(join(PHONES[1], { source: 'import', pseudonym: 'Gost_0003' }));
			expect((await each.store.subscribe(join(PHONES[2]))).subscriber.pseudonym).toBe('Gast_50001');
			const gost = await each.db.open({ pseudonymPrefix: 'Gost_' });
			expect((await gost.subscribe(join(PHONES[3]))).subscriber.pseudonym).toBe('Gost_0004');
		});

		it('uses the configured prefix', async () => {
			const gost = await each.db.open({ pseudonymPrefix: 'Gost_' });
			expect((await gost.subscribe(join(PHONES[3]))).subscriber.pseudonym).toBe('Gost_0001');
		});

		it('reports statistics per day without numbers', async () => {
			const day1 = new Date('2026-11-20T08:00:00Z');
			const day2 = new Date('2026-11-21T08:00:00Z');
			await each.store.subscribe(join(PHONES[0], { at: day1 }));
			await each.store.subscribe(join(PHONES[1], { at: day1, language: 'sl' }));
			await each.store.subscribe(
				join(PHONES[2], { at: day2, source: 'import', pseudonym: 'Gast_0100' }),
			);
			await each.store.unsubscribe({ phone: PHONES[0] }, { ...left, at: day2 });
			const stats = await each.store.statistics({ days: 3, now: new Date('2026-11-22T12:00:00Z') });
			expect(stats.subscribers).toBe(2);
			expect(stats.bySource).toEqual({ whatsapp: 1, manual: 0, import: 1 });
			expect(stats.byLanguage).toEqual({ de: 1, sl: 1, en: 0 });
			expect(stats.days).toEqual([
				{ day: '2026-11-20', joins: 2, leaves: 0 },
				{ day: '2026-11-21', joins: 1, leaves: 1 },
				{ day: '2026-11-22', joins: 0, leaves: 0 },
			]);
		});

		it('refuses to open with another data-protection key, before anything is written', async () => {
			await each.store.subscribe(join(PHONES[0]));
			// A wrong key would find nobody (blind indexes differ): Start would duplicate, Stop delete no one.
			const opening = each.db.open({ keys: derivePrivacyKeys('another-key-of-enough-length') });
			await expect(opening).rejects.toBeInstanceOf(DecryptionError);
			await expect(opening).rejects.toThrow(/data-protection key does not match/);
			expect(await each.db.count('subscribers')).toBe(1);
			const again = await each.db.open();
			expect((await again.recipientByPseudonym('Gast_0001'))?.phone).toBe(PHONES[0]);
		});

		it('imports a list in one transaction: a taken pseudonym writes nothing of the list', async () => {
			await each.store.subscribe(join(PHONES[0], { source: 'import', pseudonym: 'Gast_0007' }));
			const list = [PHONES[1], PHONES[2]].map((phone, i) =>
				join(phone, { source: 'import', pseudonym: i === 1 ? 'Gast_0007' : 'Gast_0008' }),
			);
			await expect(each.store.subscribeMany(list)).rejects.toMatchObject({
				index: 1,
				reason: expect.stringMatching(/Gast_0007.*already belongs to another subscriber/),
			});
			expect(await each.db.count('subscribers')).toBe(1);
			const ok = await each.store.subscribeMany([
				join(PHONES[0], { source: 'import' }),
				join(PHONES[1], { source: 'import', pseudonym: 'Gast_0008' }),
				join(PHONES[2], { source: 'import' }),
			]);
			expect(ok.map((r) => [r.status, r.subscriber.pseudonym])).toEqual([
				['existing', 'Gast_0007'],
				['created', 'Gast_0008'],
				['created', 'Gast_0009'],
			]);
			expect(await each.store.subscribeMany([])).toEqual([]);
		});

		it('withdrawal removes every row of a person known by number and, separately, by user ID', async () => {
			await each.store.subscribe(join(PHONES[0]));
			await each.store.subscribe(join('', { identity: { userId: 'DE.user.9' } }));
			expect(await each.db.count('subscribers')).toBe(2);
			const result = await each.store.unsubscribe({ phone: PHONES[0], userId: 'DE.user.9' }, left);
			expect(result).toEqual({ status: 'deleted', pseudonym: 'Gast_0001', language: 'de' });
			expect(await each.db.count('subscribers')).toBe(0);
		});
	});

	describe('webhook dedupe', () => {
		it('returns only keys not seen within the horizon, in input order', async () => {
			const now = new Date('2026-11-22T10:00:00Z');
			expect(await each.store.claimEventKeys(['a', 'b', 'a'], { now })).toEqual(['a', 'b']);
			expect(await each.store.claimEventKeys(['b', 'c'], { now })).toEqual(['c']);
			const later = new Date(now.getTime() + 8 * 86_400_000);
			expect(await each.store.claimEventKeys(['a', 'd'], { now: later })).toEqual(['a', 'd']);
			expect(await each.store.claimEventKeys([], { now })).toEqual([]);
		});
	});

	describe('delivery ledger', () => {
		async function subscribers(n: number): Promise<number[]> {
			const ids: number[] = [];
			for (let i = 0; i < n; i++)
				ids.push(
					(await each.store.subscribe(join(`49151000${String(i).padStart(5, '0')}`))).subscriber.id,
				);
			return ids;
		}

		it('opens a broadcast once per key', async () => {
			const a = await each.store.openBroadcast({ key: 'guid-1', title: 'Wasser' });
			const b = await each.store.openBroadcast({ key: 'guid-1', title: 'ignored' });
			expect(a.created).toBe(true);
			expect(b).toMatchObject({ id: a.id, created: false, title: 'Wasser' });
		});

		it('pages pending recipients by id and excludes those with a delivery row', async () => {
			const ids = await subscribers(5);
			const { id } = await each.store.openBroadcast({ key: 'k' });
			const page1 = await each.store.pendingRecipients(id, {
				audience: EVERYONE,
				after: 0,
				limit: 2,
			});
			expect(page1.map((r) => r.subscriberId)).toEqual(ids.slice(0, 2));
			expect(page1[0].phone).toBe('4915100000000');
			await each.store.markSending(id, [ids[2]]);
			const page2 = await each.store.pendingRecipients(id, {
				audience: EVERYONE,
				after: ids[1],
				limit: 10,
			});
			expect(page2.map((r) => r.subscriberId)).toEqual([ids[3], ids[4]]);
		});

		it('reads recipients and their count through the audience (everyone: every subscriber)', async () => {
			const ids = await subscribers(3);
			await each.store.unsubscribe({ phone: '4915100000001' }, left);
			const { id } = await each.store.openBroadcast({ key: 'all' });
			const page = await each.store.pendingRecipients(id, {
				audience: EVERYONE,
				after: 0,
				limit: 10,
			});
			expect(page.map((r) => r.subscriberId)).toEqual([ids[0], ids[2]]);
			expect(await each.store.countSubscribers(EVERYONE)).toBe(2);
			expect(await each.store.countSubscribers()).toBe(2);
		});

		it('records outcomes, settles interrupted sends per policy, and reports', async () => {
			const ids = await subscribers(4);
			const { id } = await each.store.openBroadcast({ key: 'k', title: 'T' });
			await each.store.markSending(id, ids);
			await each.store.recordOutcomes(id, [
				{ subscriberId: ids[0], state: 'accepted', messageId: 'wamid.A' },
				{ subscriberId: ids[1], state: 'failed', errorCode: 131026 },
			]);
			expect(await each.store.recoverInterrupted(id, 'at-most-once')).toBe(2);
			expect(
				await each.store.pendingRecipients(id, { audience: EVERYONE, after: 0, limit: 10 }),
			).toEqual([]);
			const report = await each.store.broadcastReport('k');
			expect(report).toMatchObject({
				key: 'k',
				title: 'T',
				recipients: 4,
				accepted: 1,
				failed: 1,
				unknown: 2,
				failedByCode: { '131026': 1 },
			});

			const other = await each.store.openBroadcast({ key: 'k2' });
			await each.store.markSending(other.id, ids);
			expect(await each.store.recoverInterrupted(other.id, 'at-least-once')).toBe(4);
			expect(
				(await each.store.pendingRecipients(other.id, { audience: EVERYONE, after: 0, limit: 10 }))
					.length,
			).toBe(4);
			expect((await each.store.listBroadcasts({ limit: 10 })).map((b) => b.key)).toEqual([
				'k2',
				'k',
			]);
		});

		it('applies statuses idempotently and in order, whatever order they arrive in', async () => {
			const [a, b] = await subscribers(2);
			const { id } = await each.store.openBroadcast({ key: 'k' });
			await each.store.recordOutcomes(id, [
				{ subscriberId: a, state: 'accepted', messageId: 'wamid.A' },
				{ subscriberId: b, state: 'accepted', messageId: 'wamid.B' },
			]);
			const at = new Date();
			expect(await each.store.recordStatus({ messageId: 'wamid.A', status: 'read', at })).toBe(
				'updated',
			);
			expect(await each.store.recordStatus({ messageId: 'wamid.A', status: 'delivered', at })).toBe(
				'unchanged',
			);
			expect(await each.store.recordStatus({ messageId: 'wamid.A', status: 'read', at })).toBe(
				'unchanged',
			);
			expect(
				await each.store.recordStatus({
					messageId: 'wamid.B',
					status: 'failed',
					at,
					errorCode: 131026,
				}),
			).toBe('updated');
			expect(await each.store.recordStatus({ messageId: 'wamid.nope', status: 'sent', at })).toBe(
				'unknown_message',
			);
			expect(await each.store.broadcastReport('k')).toMatchObject({
				sent: 1,
				delivered: 1,
				read: 1,
				failed: 1,
				failedByCode: { '131026': 1 },
			});
		});

		it('does not re-create deliveries of someone who left mid-broadcast', async () => {
			const [a] = await subscribers(1);
			const { id } = await each.store.openBroadcast({ key: 'k' });
			await each.store.markSending(id, [a]);
			await each.store.unsubscribePseudonym('Gast_0001', { source: 'whatsapp' });
			await each.store.recordOutcomes(id, [
				{ subscriberId: a, state: 'accepted', messageId: 'wamid.late' },
			]);
			expect(await each.db.count('deliveries')).toBe(0);
		});
	});

	describe('schema', () => {
		it('migrates idempotently, also when several stores open the database at once', async () => {
			const more = await Promise.all([each.db.open(), each.db.open(), each.db.open()]);
			await Promise.all(more.map((s) => s.migrate()));
			expect(await each.db.count('schema_migrations')).toBe(LATEST_VERSION);
		});
	});

	describe('concurrency', () => {
		it('hundreds of parallel joins and leaves on a few people yield unique pseudonyms and a consistent state', async () => {
			const stores = [each.store, await each.db.open(), await each.db.open()];
			const people = PHONES.slice(0, 3);
			// Everyone starts subscribed, so leaves find someone whatever order the scheduler picks.
			const initial = [];
			for (const phone of people) initial.push(await each.store.subscribe(join(phone)));
			// Every person gets joins and leaves interleaved, from every each.store instance.
			const operations = Array.from({ length: 300 }, (_, i) => {
				const phone = people[i % people.length];
				const target = stores[Math.floor(i / people.length) % stores.length];
				const leave = Math.floor(i / people.length) % 4 === 3;
				return leave ? target.unsubscribe({ phone }, left) : target.subscribe(join(phone));
			});
			const results = await Promise.all(operations);
			const deleted = results.filter((r) => r.status === 'deleted').length;
			const created = results.filter((r) => r.status === 'created').length;
			expect(deleted).toBeGreaterThan(0);
			// joins and leaves of one person alternate: whatever was created and not deleted is still there
			const stillIn = await each.db.count('subscribers');
			expect(people.length + created - deleted).toBe(stillIn);
			expect(stillIn).toBeLessThanOrEqual(people.length);
			const finals = [];
			for (const phone of people) finals.push(await stores[0].subscribe(join(phone)));
			expect(await each.db.count('subscribers')).toBe(people.length);
			const names = await Promise.all(
				people.map(async (phone) => (await each.store.findByIdentity({ phone }))!.pseudonym),
			);
			expect(new Set(names).size).toBe(people.length);
			// Every creation took its own number from the counter, none twice, none skipped.
			const issued = [...initial, ...results, ...finals].flatMap((r) =>
				r.status === 'created' ? [r.subscriber.pseudonym] : [],
			);
			expect(new Set(issued).size).toBe(issued.length);
			expect(Math.max(...issued.map((n) => Number(n.slice('Gast_'.length))))).toBe(issued.length);
			const stats = await each.store.statistics({ days: 1 });
			expect(stats.days[0]).toMatchObject({ joins: issued.length, leaves: deleted });
		});
	});

	describe('privacy at rest', () => {
		it('stores no plaintext number, user ID or wamid anywhere in the database', async () => {
			for (const phone of PHONES)
				await each.store.subscribe(join(phone, { identity: { phone, userId: `DE.uid.${phone}` } }));
			await each.store.unsubscribe({ phone: PHONES[3] }, left);
			const { id } = await each.store.openBroadcast({ key: 'p' });
			const recipients = await each.store.pendingRecipients(id, {
				audience: EVERYONE,
				after: 0,
				limit: 10,
			});
			await each.store.recordOutcomes(
				id,
				recipients.map((r) => ({
					subscriberId: r.subscriberId,
					state: 'accepted' as const,
					messageId: makeWamid(r.phone!, r.subscriberId),
				})),
			);
			await each.store.close();
			const raw = await each.db.rawContents();
			expect(raw.length).toBeGreaterThan(1000);
			expect(raw).toContain('Gast_0001');
			expect(findPhoneLeaks(raw, PHONES)).toEqual([]);
			for (const phone of PHONES) expect(raw).not.toContain(`DE.uid.${phone}`);
		});
	});
}
