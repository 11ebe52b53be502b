import { findPhoneLeaks } from '../../support/privacy';
import { countsByPhone, rigPerTest, seedSubscribers } from '../../core/broadcast/support';
import { FEED_ITEM as feedItem, runNode } from './support';

describe('WhatsApp Broadcast node: Send Announcement', () => {
	const rig = rigPerTest();

	it('sends each item as one announcement and outputs one summary item without numbers', async () => {
		const phones = await seedSubscribers(rig.store, 25);
		const second = {
			title: 'Gemeinderat tagt',
			link: 'https://gemeinde.example/news/8',
			guid: 'news-8',
		};
		const result = await runNode(rig, { operation: 'sendAnnouncement', options: { rate: 500 } }, [
			feedItem,
			second,
		]);
		expect(result.error).toBeUndefined();
		const out = result.json('Broadcast');
		expect(out).toHaveLength(2);
		expect(out[0]).toMatchObject({
			key: 'guid:news-7',
			title: feedItem.title,
			sent: 25,
			recipients: 25,
			failed: 0,
			aborted: false,
		});
		expect(out[1]).toMatchObject({ key: 'guid:news-8', sent: 25 });
		expect(countsByPhone(rig.sim, phones)).toEqual(phones.map(() => 2));
		expect(rig.sim.messagesTo(phones[0])[0].text).toContain('Straßensperre & Umleitung ab Montag');
		expect(findPhoneLeaks(JSON.stringify(result.run.data), phones)).toEqual([]);
	});

	it('running the same item again sends to nobody twice', async () => {
		const phones = await seedSubscribers(rig.store, 10);
		await runNode(rig, { operation: 'sendAnnouncement', options: { rate: 500 } }, [feedItem]);
		const again = await runNode(rig, { operation: 'sendAnnouncement', options: { rate: 500 } }, [
			feedItem,
		]);
		expect(again.json('Broadcast')[0]).toMatchObject({
			sent: 0,
			skippedAlreadySent: 10,
			resumed: true,
		});
		expect(countsByPhone(rig.sim, phones)).toEqual(phones.map(() => 1));
	});

	it('dry run counts recipients and renders the first message without sending', async () => {
		await seedSubscribers(rig.store, 7);
		const result = await runNode(
			rig,
			{ operation: 'sendAnnouncement', options: { dryRun: true } },
			[feedItem],
		);
		const [preview] = result.json('Broadcast');
		expect(preview).toMatchObject({
			dryRun: true,
			subscribers: 7,
			wouldSend: 7,
			key: 'guid:news-7',
		});
		expect(JSON.stringify(preview.firstMessage)).toContain('Straßensperre & Umleitung ab Montag');
		expect(preview.firstMessage).not.toHaveProperty('to');
		expect(rig.sim.counters().requests).toBe(0);
		expect(await rig.store.broadcastReport('guid:news-7')).toBeUndefined();
	});

	it('an unknown template aborts with a clear error and the ledger claims no send', async () => {
		await seedSubscribers(rig.store, 5);
		const result = await runNode(
			rig,
			{ operation: 'sendAnnouncement', templateName: 'no_such_template' },
			[feedItem],
		);
		expect(result.error?.message).toMatch(
			/aborted after 0 sent.*132001.*template does not exist or is not approved/,
		);
		expect(await rig.store.broadcastReport('guid:news-7')).toMatchObject({
			recipients: 0,
			accepted: 0,
		});
	});

	it('a missing template name is refused before anything is sent', async () => {
		await seedSubscribers(rig.store, 2);
		const result = await runNode(rig, { operation: 'sendAnnouncement', templateName: ' ' }, [
			feedItem,
		]);
		expect(result.error?.message).toMatch(/template name is empty/);
		expect(rig.sim.counters().requests).toBe(0);
	});

	it('an empty subscriber list is a clear error', async () => {
		const result = await runNode(rig, { operation: 'sendAnnouncement' }, [feedItem]);
		expect(result.error?.message).toMatch(/no subscribers/);
	});

	it('an unreachable API aborts with an error naming the address, and claims no send', async () => {
		await seedSubscribers(rig.store, 3);
		await rig.sim.stop();
		const result = await runNode(rig, { operation: 'sendAnnouncement', options: { rate: 500 } }, [
			feedItem,
		]);
		expect(result.error?.message).toMatch(
			/Cannot reach the WhatsApp Cloud API at http:\/\/127\.0\.0\.1/,
		);
		expect(await rig.store.broadcastReport('guid:news-7')).toMatchObject({
			recipients: 0,
			accepted: 0,
		});
	});
});
