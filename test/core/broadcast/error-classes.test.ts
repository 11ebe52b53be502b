import { sendBroadcast } from '../../../nodes/core/broadcast';
import { WhatsAppChannel } from '../../../nodes/core/channels/whatsapp';
import { ANNOUNCEMENT, FAST, startRig, type Rig } from './support';

describe('sender engine: each error class', () => {
	let rig: Rig;
	afterEach(async () => rig?.close());

	it('skip (131026, 131050): counts the recipient, records the failure, never retries it', async () => {
		rig = await startRig({ subscribers: 20 });
		rig.sim.configure({
			faults: { recipientErrors: { [rig.phones[3]]: 131026, [rig.phones[9]]: 131050 } },
		});
		const summary = await rig.send('s');
		expect(summary).toMatchObject({
			sent: 18,
			failed: 2,
			failedByReason: { undeliverable: 1, marketing_opt_out: 1 },
			aborted: false,
		});
		expect(rig.sim.counters().errors).toEqual({ '131026': 1, '131050': 1 });
		expect(await rig.store.broadcastReport('s')).toMatchObject({
			accepted: 18,
			failed: 2,
			failedByCode: { '131026': 1, '131050': 1 },
		});
		rig.sim.configure({ faults: {} });
		const again = await rig.send('s');
		expect(again.sent).toBe(0);
	});

	it.each([131048, 368, 132001])(
		'abort (%i): stops at once with a clear reason; unsent rows are not claimed',
		async (code) => {
			rig = await startRig({ subscribers: 40 });
			rig.sim.configure({ faults: { recipientErrors: { [rig.phones[10]]: code } } });
			const summary = await rig.send('a', { ...FAST, maxInFlight: 2 });
			expect(summary.aborted).toBe(true);
			expect(summary.abortReason).toContain(`error ${code}`);
			expect(summary.sent).toBeLessThan(40);
			const report = await rig.store.broadcastReport('a');
			expect(report).toMatchObject({ recipients: summary.sent, accepted: summary.sent });
			// Once the cause is fixed, a rerun reaches exactly the rest.
			rig.sim.configure({ faults: {} });
			const rest = await rig.send('a');
			expect(summary.sent + rest.sent).toBe(40);
			expect(rig.counts()).toEqual(rig.phones.map(() => 1));
		},
	);

	it('abort (190): a rejected token sends nothing and says to renew it', async () => {
		rig = await startRig({ subscribers: 5 });
		const client = rig.clientWith({ accessToken: 'expired' });
		const summary = await sendBroadcast(
			rig.store,
			new WhatsAppChannel(client),
			{ key: 't', message: ANNOUNCEMENT },
			FAST,
		);
		client.close();
		expect(summary).toMatchObject({ aborted: true, sent: 0 });
		expect(summary.abortReason).toMatch(/renew it/);
		expect(await rig.store.broadcastReport('t')).toMatchObject({ recipients: 0 });
	});

	it('retry (500) and pair rate (131056) until attempts run out: the row is released, a rerun sends it', async () => {
		rig = await startRig({ subscribers: 10 });
		rig.sim.configure({
			faults: { recipientErrors: { [rig.phones[2]]: 131056, [rig.phones[5]]: 131000 } },
		});
		const summary = await rig.send('r', { ...FAST, maxAttempts: 3 });
		expect(summary).toMatchObject({ sent: 8, failedByReason: { retries_exhausted: 2 } });
		expect(rig.sim.counters().errors).toEqual({ '131056': 3, '131000': 3 });
		expect(await rig.store.broadcastReport('r')).toMatchObject({ recipients: 8, failed: 0 });
		rig.sim.configure({ faults: {} });
		const rerun = await rig.send('r');
		expect(rerun.sent).toBe(2);
		expect(rig.counts()).toEqual(rig.phones.map(() => 1));
	});

	it('throttle (130429) slows the whole sender and every message still arrives once', async () => {
		rig = await startRig({
			sim: { faults: { throttleBursts: { period: 10, length: 3 } } },
			subscribers: 30,
		});
		const summary = await rig.send('th', { ...FAST, rate: 1000, maxAttempts: 20 });
		expect(summary.sent).toBe(30);
		expect(rig.sim.counters().errors['130429']).toBeGreaterThan(0);
		expect(rig.counts()).toEqual(rig.phones.map(() => 1));
	});

	it('at-most-once: a lost answer is never resent and shows as unknown in the report', async () => {
		rig = await startRig({
			sim: { seed: 7, faults: { crashAfterAcceptShare: 0.2 } },
			subscribers: 40,
		});
		const summary = await rig.send('amo', { ...FAST, policy: 'at-most-once' });
		const lost = summary.failedByReason.unknown_outcome ?? 0;
		expect(lost).toBeGreaterThan(0);
		expect(summary.sent + lost).toBe(40);
		expect(await rig.store.broadcastReport('amo')).toMatchObject({
			accepted: summary.sent,
			unknown: lost,
		});
		expect(rig.counts()).toEqual(rig.phones.map(() => 1));
	});

	it('a subscriber known only by user ID is counted, not sent, and not claimed', async () => {
		rig = await startRig({ subscribers: 3 });
		await rig.store.subscribe({
			identity: { userId: 'DE.1234567890abcdef' },
			language: 'de',
			source: 'whatsapp',
			textVersion: 'v1',
		});
		const summary = await rig.send('u');
		expect(summary).toMatchObject({ sent: 3, failed: 1, failedByReason: { no_phone_number: 1 } });
		expect(rig.sim.counters().requests).toBe(3);
		expect(await rig.store.broadcastReport('u')).toMatchObject({ recipients: 3, accepted: 3 });
		expect(rig.counts()).toEqual([1, 1, 1]);
	});
});
