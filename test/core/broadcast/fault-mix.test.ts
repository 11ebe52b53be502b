import { sendBroadcast } from '../../../nodes/core/broadcast';
import { WhatsAppChannel, type MessageSender } from '../../../nodes/core/channels/whatsapp';
import { ANNOUNCEMENT, startRig, type Rig } from './support';

/**
 * The real client, except that on the given calls this whole process freezes first, as on a
 * machine whose cores are busy elsewhere: answers the simulator has already written wait unread,
 * and every timer that fell due meanwhile fires before they are read.
 */
function freezingSender(
	client: MessageSender,
	onCalls: number[],
	freezeMs: number,
): MessageSender & { freezes: number } {
	let calls = 0;
	const sender = {
		freezes: 0,
		send: (message: Parameters<MessageSender['send']>[0]) => {
			calls += 1;
			if (onCalls.includes(calls)) {
				const until = performance.now() + freezeMs;
				while (performance.now() < until) {
					// Busy on purpose: a frozen event loop, not a sleep.
				}
				sender.freezes += 1;
			}
			return client.send(message);
		},
	};
	return sender;
}

describe('sender engine under a fault mix', () => {
	let rig: Rig;
	afterEach(async () => rig?.close());

	it('10% 500s, 5% held requests, bursts of 130429, a freezing process: every send delivered, none twice', async () => {
		// Held requests are closed by the simulator, unanswered and not accepted: to the client an
		// answer lost on the way, the same uncertain retry as its own timeout. That timeout stays at
		// the rig's generous default, so it can fire on no request the simulator accepted.
		rig = await startRig({
			sim: {
				seed: 42,
				faults: {
					serverErrorShare: 0.1,
					timeoutShare: 0.05,
					holdMs: 20,
					throttleBursts: { period: 60, length: 6 },
				},
			},
			subscribers: 300,
		});
		const sender = freezingSender(rig.client, [60, 150, 240], 300);
		const summary = await sendBroadcast(
			rig.store,
			new WhatsAppChannel(sender),
			{ key: 'mix', message: ANNOUNCEMENT },
			{ rate: 0, maxInFlight: 16, maxAttempts: 12, backoff: { baseMs: 2, maxMs: 40 } },
		);
		expect(sender.freezes).toBe(3);
		const counters = rig.sim.counters();
		expect(counters.serverErrors).toBeGreaterThan(0);
		expect(counters.timeouts).toBeGreaterThan(0);
		expect(counters.errors['130429']).toBeGreaterThan(0);
		// The simulator's failures here are definite (nothing accepted): so exactly once each.
		expect(summary).toMatchObject({ sent: 300, failed: 0, aborted: false });
		expect(rig.counts()).toEqual(rig.phones.map(() => 1));
		expect(await rig.store.broadcastReport('mix')).toMatchObject({
			recipients: 300,
			accepted: 300,
		});
	});

	it("the client's own timeout on held requests: nothing accepted, the rows released, a rerun sends once", async () => {
		rig = await startRig({ sim: { faults: { timeoutShare: 1 } }, subscribers: 3 });
		// Every request is held and never answered, so this timeout can only ever end a held one:
		// its length does not matter, however busy the machine.
		const impatient = rig.clientWith({ timeoutMs: 20 });
		const timedOut = await sendBroadcast(
			rig.store,
			new WhatsAppChannel(impatient),
			{ key: 'held', message: ANNOUNCEMENT },
			{ rate: 0, maxAttempts: 2, backoff: { baseMs: 1, maxMs: 5 } },
		).finally(() => impatient.close());
		expect(timedOut).toMatchObject({
			sent: 0,
			failed: 3,
			failedByReason: { retries_exhausted: 3 },
			aborted: false,
		});
		expect(rig.sim.counters()).toMatchObject({ timeouts: 6, accepted: 0 });
		rig.sim.configure({ faults: {} });
		const rerun = await rig.send('held');
		expect(rerun.sent).toBe(3);
		expect(rig.counts()).toEqual([1, 1, 1]);
	});
});
