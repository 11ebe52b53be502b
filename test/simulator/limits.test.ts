import { startSimulator, type Simulator } from '../../simulator';
import { announcement, manualClock, send, text } from './support';

const DAY = 24 * 60 * 60 * 1000;

describe('simulator: 24-hour window', () => {
	const clock = manualClock();
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator({ rate: 0, pairRate: false, now: clock.now });
	});
	afterAll(() => sim.stop());

	it('refuses free text to someone who never wrote (131047) but accepts a template', async () => {
		expect((await send(sim, text('4915100000001'))).body.error?.code).toBe(131047);
		expect((await send(sim, announcement('4915100000001', 'ok'))).status).toBe(200);
	});

	it('accepts free text inside the window and refuses it once 24 hours have passed', async () => {
		const receiver = await import('../support/webhook-receiver');
		const hook = await new receiver.WebhookReceiver(sim.config.appSecret).start();
		sim.configure({ callbackUrl: hook.url });
		await sim.citizenSends({ from: '4915100000002' }, { text: 'Start' });
		clock.advance(DAY - 1000);
		expect((await send(sim, text('4915100000002'))).status).toBe(200);
		clock.advance(2000);
		expect((await send(sim, text('4915100000002'))).body.error?.code).toBe(131047);
		await hook.stop();
	});
});

describe('simulator: throughput', () => {
	it('answers 130429 beyond the configured rate and recovers as time passes', async () => {
		const clock = manualClock();
		const sim = await startSimulator({ rate: 5, pairRate: false, now: clock.now });
		try {
			const codes: Array<number | undefined> = [];
			for (let i = 0; i < 8; i++)
				codes.push((await send(sim, announcement(`49151000001${i}`, 'x'))).body.error?.code);
			expect(codes.filter((c) => c === undefined)).toHaveLength(5);
			expect(codes.slice(5)).toEqual([130429, 130429, 130429]);
			clock.advance(400); // 2 tokens at 5/s
			const after = [];
			for (let i = 0; i < 3; i++)
				after.push((await send(sim, announcement(`49151000002${i}`, 'x'))).status);
			expect(after).toEqual([200, 200, 429]);
			expect(sim.counters().errors['130429']).toBe(4);
		} finally {
			await sim.stop();
		}
	});

	it('answers 131056 when one recipient gets too many messages too fast', async () => {
		const clock = manualClock();
		const sim = await startSimulator({
			rate: 0,
			pairRate: { maxPerWindow: 2, windowMs: 6000 },
			now: clock.now,
		});
		try {
			const to = '4915100000003';
			expect((await send(sim, announcement(to, 'a'))).status).toBe(200);
			expect((await send(sim, announcement(to, 'b'))).status).toBe(200);
			expect((await send(sim, announcement(to, 'c'))).body.error?.code).toBe(131056);
			expect((await send(sim, announcement('4915100000004', 'other person'))).status).toBe(200);
			clock.advance(6001);
			expect((await send(sim, announcement(to, 'd'))).status).toBe(200);
		} finally {
			await sim.stop();
		}
	});
});
