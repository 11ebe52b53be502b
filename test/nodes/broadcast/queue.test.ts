import { countsByPhone, rigPerTest, seedSubscribers } from '../../core/broadcast/support';
import { findPhoneLeaks } from '../../support/privacy';
import { FEED_ITEM, runNode } from './support';

const NEWS = { title: 'Gemeinderat tagt', link: 'https://gemeinde.example/news/8', guid: 'news-8' };

describe('WhatsApp Broadcast node: the queue', () => {
	const rig = rigPerTest();
	const sender = () => rig.sim.config.phoneNumberId;

	it('Wait for Completion off: answers "queued" at once, and the number\'s loop sends it', async () => {
		const phones = await seedSubscribers(rig.store, 12);
		const result = await runNode(
			rig,
			{ operation: 'sendAnnouncement', options: { waitForCompletion: false } },
			[FEED_ITEM],
		);
		expect(result.error).toBeUndefined();
		expect(result.json('Broadcast')).toEqual([
			{
				status: 'queued',
				key: 'guid:news-7',
				title: FEED_ITEM.title,
				requeued: false,
			},
		]);
		while ((await rig.store.broadcastReport('guid:news-7'))?.state !== 'done')
			await new Promise((resolve) => setTimeout(resolve, 20));
		expect(countsByPhone(rig.sim, phones)).toEqual(phones.map(() => 1));
	});

	it('Resume Broadcasts sends what is queued for the number, urgent first, and reports nothing to do after', async () => {
		const phones = await seedSubscribers(rig.store, 8);
		// Another loop (a dead worker) holds the number: posts without waiting stay queued.
		await rig.store.claimSender(sender(), 'dead-worker', new Date(Date.now() + 60_000));
		const post = (item: typeof NEWS, priority: string) =>
			runNode(
				rig,
				{ operation: 'sendAnnouncement', priority, options: { waitForCompletion: false } },
				[item],
			);
		expect((await post(FEED_ITEM, 'normal')).error).toBeUndefined();
		expect((await post(NEWS, 'urgent')).error).toBeUndefined();
		expect(rig.sim.accepted()).toHaveLength(0);
		expect((await runNode(rig, { operation: 'resumeBroadcasts' }, [{}])).json('Broadcast')).toEqual(
			[{ status: 'busy', broadcasts: 0 }],
		);
		// The dead worker's lease runs out.
		await rig.store.claimSender(sender(), 'dead-worker', new Date(Date.now() - 1));
		const resumed = await runNode(rig, { operation: 'resumeBroadcasts' }, [{}]);
		expect(resumed.json('Broadcast').map((r) => [r.status, r.key, r.sent])).toEqual([
			['drained', 'guid:news-8', 8],
			['drained', 'guid:news-7', 8],
		]);
		expect(countsByPhone(rig.sim, phones)).toEqual(phones.map(() => 2));
		expect(findPhoneLeaks(JSON.stringify(resumed.run.data), phones)).toEqual([]);
		expect((await runNode(rig, { operation: 'resumeBroadcasts' }, [{}])).json('Broadcast')).toEqual(
			[{ status: 'drained', broadcasts: 0 }],
		);
		expect(await rig.store.broadcastReport('guid:news-7')).toMatchObject({ state: 'done' });
	});

	it("the number's rate from the credential paces the announcement", async () => {
		await seedSubscribers(rig.store, 30);
		const result = await runNode(rig, { operation: 'sendAnnouncement' }, [FEED_ITEM], {
			api: { messagesPerSecond: 10, replySharePercent: 0 },
		});
		const [summary] = result.json('Broadcast');
		expect(summary).toMatchObject({ status: 'done', sent: 30 });
		// 30 messages at 10 per second (9 plus a burst of 1): the simulator saw them over ≥ 2.9 s.
		const times = rig.sim.accepted().map((m) => m.at);
		expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(2900);
	});
});
