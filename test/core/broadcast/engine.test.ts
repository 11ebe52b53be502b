import { sendBroadcast } from '../../../nodes/core/broadcast';
import { WhatsAppChannel } from '../../../nodes/core/channels/whatsapp';
import { ANNOUNCEMENT, FAST, seedSubscribers, startRig, type Rig } from './support';

describe('sender engine against the simulator', () => {
	let rig: Rig;
	afterEach(async () => rig?.close());

	it('sends exactly one message to every subscriber and records each in the ledger', async () => {
		rig = await startRig({ subscribers: 120 });
		const summary = await sendBroadcast(
			rig.store,
			rig.channel,
			{ key: 'news-1', title: 'Wasser', message: ANNOUNCEMENT },
			{ ...FAST, maxInFlight: 8, pageSize: 25 },
		);
		expect(rig.counts()).toEqual(rig.phones.map(() => 1));
		expect(summary).toMatchObject({
			key: 'news-1',
			recipients: 120,
			sent: 120,
			failed: 0,
			skippedAlreadySent: 0,
			aborted: false,
			resumed: false,
		});
		const report = await rig.store.broadcastReport('news-1');
		expect(report).toMatchObject({ recipients: 120, accepted: 120, failed: 0, unknown: 0 });
		const first = rig.sim.accepted()[0];
		expect(first.bizOpaqueCallbackData).toBe('news-1');
		expect(first.text).toContain('Wasserleitung: Sperre am Montag 🚰');
	});

	it('a rerun of the same key sends to nobody twice, only to new subscribers', async () => {
		rig = await startRig({ subscribers: 30 });
		await rig.send('k');
		const later = await seedSubscribers(rig.store, 5, 100);
		const again = await rig.send('k');
		expect(again).toMatchObject({ resumed: true, sent: 5, skippedAlreadySent: 30, recipients: 35 });
		const everyone = [...rig.phones, ...later];
		expect(rig.counts(everyone)).toEqual(everyone.map(() => 1));
	});

	it('holds the rate under the simulator cap: zero 130429', async () => {
		rig = await startRig({ sim: { rate: 40, burst: 40 }, subscribers: 60 });
		const summary = await rig.send('rated', {
			...FAST,
			rate: 30,
			burst: 10,
			maxInFlight: 16,
		});
		expect(summary.sent).toBe(60);
		expect(rig.sim.counters().errors['130429'] ?? 0).toBe(0);
		expect(rig.counts()).toEqual(rig.phones.map(() => 1));
	});

	it('refuses an empty subscriber list with a clear error and writes no broadcast', async () => {
		rig = await startRig();
		await expect(rig.send('empty')).rejects.toThrow(/no subscribers/);
		expect(await rig.store.broadcastReport('empty')).toBeUndefined();
	});

	it('stops cooperatively: what was sent is recorded, the rest is sent by the next run', async () => {
		rig = await startRig({ sim: { faults: { latencyMs: 5 } }, subscribers: 80 });
		const controller = new AbortController();
		const stopAfter = 20;
		const origin = rig.client.send.bind(rig.client);
		let calls = 0;
		const counting = {
			send: (message: Parameters<typeof origin>[0]) => {
				calls += 1;
				if (calls === stopAfter) controller.abort();
				return origin(message);
			},
		};
		const first = await sendBroadcast(
			rig.store,
			new WhatsAppChannel(counting),
			{ key: 'stop', message: ANNOUNCEMENT },
			{ ...FAST, maxInFlight: 4, signal: controller.signal },
		);
		expect(first.stopped).toBe(true);
		expect(first.sent).toBeLessThan(80);
		expect((await rig.store.broadcastReport('stop'))?.accepted).toBe(first.sent);
		const second = await rig.send('stop');
		expect(first.sent + second.sent).toBe(80);
		expect(rig.counts()).toEqual(rig.phones.map(() => 1));
	});
});
