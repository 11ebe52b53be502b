import { TokenBucket } from '../../../nodes/core/broadcast';
import { FakeClock } from './fake-clock';

describe('TokenBucket (fake clock, nothing really sleeps)', () => {
	it('checks its options with exact messages', () => {
		const clock = new FakeClock();
		expect(() => new TokenBucket({ rate: 0, clock })).toThrow(
			'The rate must be a positive number of messages per second (got 0)',
		);
		expect(() => new TokenBucket({ rate: Number.NaN, clock })).toThrow('(got NaN)');
		expect(() => new TokenBucket({ rate: 5, burst: 0.5, clock })).toThrow(
			'The burst must be a whole number of at least 1 (got 0.5)',
		);
	});

	it('gives the burst at once, then exactly `rate` tokens per second, in order', async () => {
		const clock = new FakeClock();
		const bucket = new TokenBucket({ rate: 10, burst: 3, clock });
		const done: number[] = [];
		for (let i = 0; i < 13; i++) void bucket.take().then(() => done.push(i));
		await clock.advance(0);
		expect(done).toEqual([0, 1, 2]);
		expect(bucket.pending).toBe(10);
		await clock.advance(100);
		expect(done).toEqual([0, 1, 2, 3]);
		await clock.advance(900);
		expect(done).toEqual([...Array(13).keys()]);
		expect(bucket.pending).toBe(0);
	});

	it('refills to the burst, never beyond', async () => {
		const clock = new FakeClock();
		const bucket = new TokenBucket({ rate: 2, burst: 4, clock });
		await clock.advance(60_000);
		expect(bucket.available).toBe(4);
	});

	it('take(signal) rejects on abort without consuming, and the next caller still gets served', async () => {
		const clock = new FakeClock();
		const bucket = new TokenBucket({ rate: 1, burst: 1, clock });
		await bucket.take();
		const controller = new AbortController();
		const aborted = bucket.take(controller.signal);
		const after = bucket.take();
		controller.abort(new Error('stop'));
		await expect(aborted).rejects.toThrow('stop');
		let served = false;
		void after.then(() => (served = true));
		await clock.advance(999);
		expect(served).toBe(false);
		await clock.advance(1);
		expect(served).toBe(true);
	});

	it('pause(ms) holds everyone back and restarts empty', async () => {
		const clock = new FakeClock();
		const bucket = new TokenBucket({ rate: 10, burst: 10, clock });
		bucket.pause(2_000);
		expect(bucket.available).toBe(0);
		let served = 0;
		for (let i = 0; i < 2; i++) void bucket.take().then(() => served++);
		await clock.advance(1_999);
		expect(served).toBe(0);
		// The pause ends at 2000 with an empty bucket: the first token is ready 100 ms later.
		await clock.advance(100);
		expect(served).toBe(0);
		await clock.advance(1);
		expect(served).toBe(1);
		await clock.advance(100);
		expect(served).toBe(2);
	});
});
