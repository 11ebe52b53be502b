import { BroadcastBusyError } from '../../../nodes/core/broadcast';
import {
	FAST,
	countsByPhone,
	seedSubscribers,
	sendAnnouncement,
	startRig,
	type Rig,
} from './support';

describe('sending lease: one execution per broadcast at a time', () => {
	let rig: Rig;
	afterEach(async () => rig?.close());

	it('a second run of the same key is refused while the first sends; afterwards it resumes', async () => {
		rig = await startRig({ faults: { latencyMs: 5 } });
		const phones = await seedSubscribers(rig.store, 40);
		const first = sendAnnouncement(rig, 'same', { ...FAST, maxInFlight: 2 });
		while (rig.sim.counters().accepted < 3) await new Promise((resolve) => setImmediate(resolve));
		await expect(sendAnnouncement(rig, 'same')).rejects.toThrow(BroadcastBusyError);
		await expect(sendAnnouncement(rig, 'same')).rejects.toThrow(
			/is being sent by another execution right now/,
		);
		// Another announcement is not held up.
		const other = await sendAnnouncement(rig, 'other');
		expect(other.sent).toBe(40);
		expect((await first).sent).toBe(40);
		const again = await sendAnnouncement(rig, 'same');
		expect(again).toMatchObject({ sent: 0, skippedAlreadySent: 40 });
		expect(countsByPhone(rig.sim, phones)).toEqual(phones.map(() => 2));
	});

	it('a lease left by a crashed owner runs out and the broadcast can be taken over', async () => {
		rig = await startRig();
		await seedSubscribers(rig.store, 5);
		const broadcast = await rig.store.openBroadcast({ key: 'crashed' });
		expect(
			await rig.store.claimBroadcast(broadcast.id, 'dead-worker', new Date(Date.now() - 1)),
		).toBe(true);
		expect(
			await rig.store.claimBroadcast(broadcast.id, 'live-worker', new Date(Date.now() + 60_000)),
		).toBe(true);
		expect(
			await rig.store.claimBroadcast(broadcast.id, 'dead-worker', new Date(Date.now() + 60_000)),
		).toBe(false);
		await rig.store.releaseBroadcast(broadcast.id, 'live-worker');
		const summary = await sendAnnouncement(rig, 'crashed');
		expect(summary.sent).toBe(5);
	});
});
