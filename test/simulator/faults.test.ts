import { startSimulator, type Simulator } from '../../simulator';
import { announcement, send } from './support';

describe('simulator: fault injection', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator({ rate: 0, pairRate: false, seed: 42 });
	});
	afterAll(() => sim.stop());
	beforeEach(() => {
		sim.reset();
		sim.configure({ faults: {}, seed: 42 });
	});

	it('answers a seeded share of requests with HTTP 500, the same way for the same seed', async () => {
		const run = async () => {
			sim.configure({ faults: { serverErrorShare: 0.3 }, seed: 7 });
			const statuses: number[] = [];
			for (let i = 0; i < 100; i++)
				statuses.push(
					(await send(sim, announcement(`4915120000${String(i).padStart(3, '0')}`, 'x'))).status,
				);
			return statuses;
		};
		const first = await run();
		const second = await run();
		const errors = first.filter((s) => s === 500).length;
		expect(errors).toBeGreaterThan(15);
		expect(errors).toBeLessThan(45);
		expect(second).toEqual(first);
		expect(sim.counters().serverErrors).toBe(errors * 2);
	});

	it('holds a share of requests without answering (timeouts) and still stops cleanly', async () => {
		sim.configure({ faults: { timeoutShare: 1 } });
		await expect(
			send(sim, announcement('4915100000010', 'x'), { signal: AbortSignal.timeout(200) }),
		).rejects.toThrow();
		expect(sim.counters().timeouts).toBe(1);
		expect(sim.accepted()).toHaveLength(0);
	});

	it('with holdMs, closes a held request itself: no answer, nothing accepted', async () => {
		sim.configure({ faults: { timeoutShare: 1, holdMs: 5 } });
		// No client-side deadline: only the simulator can end this request.
		await expect(send(sim, announcement('4915100000015', 'x'))).rejects.toThrow();
		expect(sim.counters()).toMatchObject({ timeouts: 1, accepted: 0 });
		expect(sim.messagesTo('4915100000015')).toHaveLength(0);
	});

	it('answers given error codes for given recipients', async () => {
		sim.configure({
			faults: { recipientErrors: { '4915100000011': 131026, '4915100000012': 131050 } },
		});
		expect((await send(sim, announcement('4915100000011', 'x'))).body.error?.code).toBe(131026);
		expect((await send(sim, announcement('4915100000012', 'x'))).body.error?.code).toBe(131050);
		expect((await send(sim, announcement('4915100000013', 'x'))).status).toBe(200);
		expect(sim.counters().errors).toEqual({ '131026': 1, '131050': 1 });
	});

	it('records a message as accepted and then drops the connection (once accepted, then crash)', async () => {
		sim.configure({ faults: { crashAfterAcceptShare: 1 } });
		await expect(send(sim, announcement('4915100000014', 'x'))).rejects.toThrow();
		expect(sim.messagesTo('4915100000014')).toHaveLength(1);
		expect(sim.counters().crashes).toBe(1);
	});

	it('throttles in bursts', async () => {
		sim.configure({ faults: { throttleBursts: { period: 4, length: 2 } } });
		const statuses: number[] = [];
		for (let i = 0; i < 8; i++)
			statuses.push((await send(sim, announcement(`49151000002${i}`, 'x'))).status);
		expect(statuses).toEqual([429, 429, 200, 200, 429, 429, 200, 200]);
	});

	it('adds latency', async () => {
		sim.configure({ faults: { latencyMs: { min: 60, max: 80 } } });
		const started = performance.now();
		await send(sim, announcement('4915100000030', 'x'));
		expect(performance.now() - started).toBeGreaterThanOrEqual(55);
	});
});
