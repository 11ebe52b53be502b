import {
	PRIORITY,
	publishBroadcast,
	SenderLoop,
	type Channel,
	type LoopOptions,
	type NumberSettings,
	type PublishRequest,
} from '../../../nodes/core/broadcast';
import type { AcceptedMessage } from '../../../simulator/state';
import { FakeClock } from './fake-clock';
import { ANNOUNCEMENT, rigPerTest } from './support';

const SENDER = '100000000000001';
const BACKOFF = { backoff: { baseMs: 2, maxMs: 20 } };

/** The real channel, counting sends whose answer has not come back yet. */
function counting<M>(channel: Channel<M>): { channel: Channel<M>; outstanding: () => number } {
	let outstanding = 0;
	return {
		outstanding: () => outstanding,
		channel: {
			prepare: (spec, reference) => channel.prepare(spec, reference),
			send: async (message) => {
				outstanding += 1;
				try {
					return await channel.send(message);
				} finally {
					outstanding -= 1;
				}
			},
		},
	};
}

/**
 * Moves the fake clock 1 ms at a time, but only while no request is on its way: a message reaches
 * the simulator at the fake moment it was sent, however busy the machine is, so the simulator's
 * per-second counts measure our pacing and nothing else.
 */
async function pump<T>(clock: FakeClock, outstanding: () => number, work: Promise<T>): Promise<T> {
	let finished = false;
	const settled = work.then(
		() => (finished = true),
		() => (finished = true),
	);
	while (!finished) {
		if (outstanding() > 0) await new Promise((resolve) => setTimeout(resolve, 1));
		else {
			await clock.advance(1);
			await new Promise((resolve) => setImmediate(resolve));
		}
	}
	await settled;
	return work;
}

/** The most messages the simulator accepted in one second: fixed seconds and any sliding second. */
function peakPerSecond(accepted: AcceptedMessage[]): { fixed: number; sliding: number } {
	const times = accepted.map((m) => m.at).sort((a, b) => a - b);
	const bySecond = new Map<number, number>();
	for (const at of times)
		bySecond.set(Math.floor(at / 1000), (bySecond.get(Math.floor(at / 1000)) ?? 0) + 1);
	let sliding = 0;
	for (let i = 0, j = 0; i < times.length; i++) {
		while (times[i] - times[j] >= 1000) j++;
		sliding = Math.max(sliding, i - j + 1);
	}
	return { fixed: Math.max(0, ...bySecond.values()), sliding };
}

function request(key: string, extra: Partial<PublishRequest> = {}): PublishRequest {
	return { key, message: ANNOUNCEMENT, ...extra };
}

describe('broadcast queue: one sender per number', () => {
	const clock = new FakeClock();
	const rig = rigPerTest({ subscribers: 60, sim: { now: () => clock.now() } });
	const number: NumberSettings = { sender: SENDER, rate: 40, replyShare: 0 };
	const loopOptions: LoopOptions = { ...BACKOFF, clock, pageSize: 10 };

	it('two announcements posted at once share the number: never above its rate in any second, everyone gets each once', async () => {
		const counted = counting(rig.channel);
		// Two executions, each with its own loop over the same number and store.
		const loops = [0, 1].map(() => new SenderLoop(rig.store, counted.channel, number, loopOptions));
		const both = Promise.all(
			['a', 'b'].map((key, i) =>
				publishBroadcast(loops[i], request(key), {
					wait: true,
					sleep: (ms, signal) => clock.sleep(ms, signal),
					pollMs: 50,
				}),
			),
		);
		const [a, b] = await pump(clock, counted.outstanding, both);
		expect(a).toMatchObject({ status: 'done', key: 'a' });
		expect(b).toMatchObject({ status: 'done', key: 'b' });
		const accepted = rig.sim.accepted();
		for (const key of ['a', 'b']) {
			const to = accepted.filter((m) => m.bizOpaqueCallbackData === key).map((m) => m.to);
			expect(to.sort()).toEqual([...rig.phones].sort());
		}
		const peak = peakPerSecond(accepted);
		expect(peak.fixed).toBeLessThanOrEqual(40);
		expect(peak.sliding).toBeLessThanOrEqual(40);
		// And the number was kept busy: 120 messages at 40 per second take at least 3 seconds, not far more.
		const span = Math.max(...accepted.map((m) => m.at)) - Math.min(...accepted.map((m) => m.at));
		expect(span).toBeGreaterThanOrEqual(2900);
		expect(span).toBeLessThan(3600);
	});

	it('the same announcement posted twice at once is sent once', async () => {
		const counted = counting(rig.channel);
		const posts = Promise.all(
			[0, 1].map(() =>
				publishBroadcast(
					new SenderLoop(rig.store, counted.channel, number, loopOptions),
					request('same'),
					{ wait: true, sleep: (ms, signal) => clock.sleep(ms, signal), pollMs: 50 },
				),
			),
		);
		const outcomes = await pump(clock, counted.outstanding, posts);
		expect(outcomes.map((o) => o.status)).toEqual(['done', 'done']);
		expect(rig.counts()).toEqual(rig.phones.map(() => 1));
		expect(await rig.store.broadcastReport('same')).toMatchObject({
			recipients: 60,
			accepted: 60,
			state: 'done',
		});
	});

	it('an urgent announcement goes ahead of one being sent, which then finishes', async () => {
		const counted = counting(rig.channel);
		const loop = new SenderLoop(rig.store, counted.channel, number, loopOptions);
		const wait = {
			wait: true,
			sleep: (ms: number, s?: AbortSignal) => clock.sleep(ms, s),
			pollMs: 50,
		};
		const normal = publishBroadcast(loop, request('normal'), wait);
		// Let the normal one start, then post the urgent one from another execution.
		const started = (async () => {
			while (rig.sim.accepted().length < 15) await clock.sleep(5);
			return publishBroadcast(
				new SenderLoop(rig.store, counted.channel, number, loopOptions),
				request('urgent', { priority: PRIORITY.urgent }),
				wait,
			);
		})();
		await pump(clock, counted.outstanding, Promise.all([normal, started]));
		const order = rig.sim.accepted().sort((x, y) => x.at - y.at);
		const lastUrgent = order.map((m) => m.bizOpaqueCallbackData).lastIndexOf('urgent');
		const normalsBefore = order
			.slice(0, lastUrgent)
			.filter((m) => m.bizOpaqueCallbackData === 'normal');
		// The normal one stopped within a page of the urgent one's arrival, and finished afterwards.
		expect(normalsBefore.length).toBeLessThan(40);
		expect(rig.counts()).toEqual(rig.phones.map(() => 2));
		expect(await rig.store.broadcastReport('normal')).toMatchObject({
			state: 'done',
			resumptions: 1,
		});
	});
});

describe('broadcast queue: nobody needed', () => {
	const rig = rigPerTest({ subscribers: 40 });
	const unpaced: NumberSettings = { sender: SENDER, rate: 0, replyShare: 0 };

	it('a caller that does not wait gets "queued" at once, and the number\'s loop sends it', async () => {
		const loop = new SenderLoop(rig.store, rig.channel, unpaced, BACKOFF);
		let finished!: () => void;
		const done = new Promise<void>((resolve) => (finished = resolve));
		const outcome = await publishBroadcast(loop, request('cms-1'), {
			wait: false,
			onBackgroundDone: finished,
		});
		expect(outcome).toEqual({ status: 'queued', key: 'cms-1', title: null, requeued: false });
		await done;
		expect(rig.counts()).toEqual(rig.phones.map(() => 1));
		expect((await rig.store.broadcastReport('cms-1'))?.state).toBe('done');
	});

	it('Resume Broadcasts sends what a dead sender left, once its lease has run out', async () => {
		// Queued and half sent by a loop that then died holding the number's lease.
		const dead = new SenderLoop(rig.store, rig.channel, unpaced, { ...BACKOFF, pageSize: 10 });
		await rig.store.enqueueBroadcast({
			key: 'left-behind',
			sender: SENDER,
			message: ANNOUNCEMENT,
			audience: { kind: 'everyone' },
			priority: 0,
			settings: { policy: 'at-least-once' },
		});
		expect(await rig.store.claimSender(SENDER, 'dead-worker', new Date(Date.now() + 60_000))).toBe(
			true,
		);
		expect((await dead.drain()).status).toBe('busy');
		expect(rig.sim.accepted()).toHaveLength(0);
		// The lease runs out (the dead worker renews it no more).
		expect(await rig.store.claimSender(SENDER, 'dead-worker', new Date(Date.now() - 1))).toBe(true);
		const resumed = await new SenderLoop(rig.store, rig.channel, unpaced, BACKOFF).drain();
		expect(resumed.status).toBe('drained');
		expect(resumed.runs.map((r) => [r.key, r.sent])).toEqual([['left-behind', 40]]);
		expect(rig.counts()).toEqual(rig.phones.map(() => 1));
		expect(await new SenderLoop(rig.store, rig.channel, unpaced, BACKOFF).drain()).toEqual({
			status: 'drained',
			runs: [],
		});
	});

	it("a broadcast whose own lease a dead loop still holds is someone else's turn (busy), not a failure", async () => {
		const { broadcast } = await rig.store.enqueueBroadcast({
			key: 'still-held',
			sender: SENDER,
			message: ANNOUNCEMENT,
			audience: { kind: 'everyone' },
			priority: 0,
			settings: { policy: 'at-least-once' },
		});
		await rig.store.claimBroadcast(broadcast.id, 'dead-loop', new Date(Date.now() + 60_000));
		const loop = new SenderLoop(rig.store, rig.channel, unpaced, BACKOFF);
		expect(await loop.drain()).toEqual({ status: 'busy', runs: [] });
		expect(rig.sim.accepted()).toHaveLength(0);
		// The dead loop's broadcast lease runs out; the number was released, so the next drain sends it.
		await rig.store.claimBroadcast(broadcast.id, 'dead-loop', new Date(Date.now() - 1));
		expect((await loop.drain()).runs.map((run) => run.sent)).toEqual([40]);
	});

	it('a finished key posted again is queued again and reaches only those not yet sent', async () => {
		const loop = new SenderLoop(rig.store, rig.channel, unpaced, BACKOFF);
		const post = () => publishBroadcast(loop, request('rerun'), { wait: true });
		expect(await post()).toMatchObject({ status: 'done', sent: 40 });
		expect(await post()).toMatchObject({ status: 'done', sent: 0, skippedAlreadySent: 40 });
		expect(rig.counts()).toEqual(rig.phones.map(() => 1));
	});
});
