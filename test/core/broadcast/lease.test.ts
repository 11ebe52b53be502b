import { BroadcastBusyError, sendBroadcast } from '../../../nodes/core/broadcast';
import { WhatsAppChannel, type MessageSender } from '../../../nodes/core/channels/whatsapp';
import { ANNOUNCEMENT, FAST, startRig, type Rig } from './support';

describe('sending lease: one execution per broadcast at a time', () => {
	let rig: Rig;
	afterEach(async () => rig?.close());

	it('a second run of the same key is refused while the first sends; afterwards it resumes', async () => {
		rig = await startRig({ subscribers: 40 });
		// The first run's fourth send waits for the gate: it is certainly still sending (and holding
		// its lease) while the second run tries, however the machine schedules the two.
		let openGate = () => {};
		const gate = new Promise<void>((resolve) => (openGate = resolve));
		let calls = 0;
		let gateReached = () => {};
		const reached = new Promise<void>((resolve) => (gateReached = resolve));
		const gated: MessageSender = {
			send: async (message) => {
				calls += 1;
				if (calls > 3) {
					gateReached();
					await gate;
				}
				return rig.client.send(message);
			},
		};
		const first = sendBroadcast(
			rig.store,
			new WhatsAppChannel(gated),
			{ key: 'same', message: ANNOUNCEMENT },
			{ ...FAST, maxInFlight: 2 },
		);
		await reached;
		await expect(rig.send('same')).rejects.toThrow(BroadcastBusyError);
		await expect(rig.send('same')).rejects.toThrow(/is being sent by another execution right now/);
		// Another announcement is not held up.
		const other = await rig.send('other');
		expect(other.sent).toBe(40);
		openGate();
		expect((await first).sent).toBe(40);
		const again = await rig.send('same');
		expect(again).toMatchObject({ sent: 0, skippedAlreadySent: 40 });
		expect(rig.counts()).toEqual(rig.phones.map(() => 2));
	});

	it('a lease left by a crashed owner runs out and the broadcast can be taken over', async () => {
		rig = await startRig({ subscribers: 5 });
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
		const summary = await rig.send('crashed');
		expect(summary.sent).toBe(5);
	});
});
