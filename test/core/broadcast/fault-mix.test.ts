import { countsByPhone, seedSubscribers, sendAnnouncement, startRig, type Rig } from './support';

describe('sender engine under a fault mix', () => {
	let rig: Rig;
	afterEach(async () => rig?.close());

	it('10% 500s, 5% timeouts, bursts of 130429: every send delivered, none twice', async () => {
		rig = await startRig(
			{
				seed: 42,
				faults: {
					serverErrorShare: 0.1,
					timeoutShare: 0.05,
					throttleBursts: { period: 60, length: 6 },
				},
			},
			150,
		);
		const phones = await seedSubscribers(rig.store, 300);
		const summary = await sendAnnouncement(rig, 'mix', {
			rate: 0,
			maxInFlight: 16,
			maxAttempts: 12,
			backoff: { baseMs: 2, maxMs: 40 },
		});
		const counters = rig.sim.counters();
		expect(counters.serverErrors).toBeGreaterThan(0);
		expect(counters.timeouts).toBeGreaterThan(0);
		expect(counters.errors['130429']).toBeGreaterThan(0);
		// The simulator's failures here are definite (nothing accepted): so exactly once each.
		expect(summary).toMatchObject({ sent: 300, failed: 0, aborted: false });
		expect(countsByPhone(rig.sim, phones)).toEqual(phones.map(() => 1));
		expect(await rig.store.broadcastReport('mix')).toMatchObject({
			recipients: 300,
			accepted: 300,
		});
	});
});
