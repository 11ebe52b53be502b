import { broadcastPace, TokenBucket, type Clock } from '../../../nodes/core/broadcast';

/** A clock whose sleeps end `lateMs` after they should, as timers on a busy machine do. */
function lateClock(lateMs: number): Clock {
	let time = 0;
	return {
		now: () => time,
		sleep: async (ms) => {
			time += ms + lateMs;
		},
	};
}

/** Takes `count` tokens with eight senders waiting at once; returns the tokens' times. */
async function takeTimes(bucket: TokenBucket, clock: Clock, count: number): Promise<number[]> {
	const times: number[] = [];
	const sender = async () => {
		while (times.length < count) {
			await bucket.take();
			times.push(clock.now());
		}
	};
	await Promise.all(Array.from({ length: 8 }, sender));
	return times.slice(0, count);
}

function busiestWindow(times: number[]): number {
	let most = 0;
	for (let first = 0, last = 0; last < times.length; last++) {
		while (times[last] - times[first] >= 1000) first++;
		most = Math.max(most, last - first + 1);
	}
	return most;
}

describe("the number's pace", () => {
	it('keeps the budget in every second and a reply share free', () => {
		expect(broadcastPace({ sender: 's', rate: 80, replyShare: 0 })).toEqual({ rate: 78, burst: 2 });
		expect(broadcastPace({ sender: 's', rate: 80, replyShare: 0.1 })).toEqual({
			rate: 70,
			burst: 2,
		});
		expect(broadcastPace({ sender: 's', rate: 1000, replyShare: 0 })).toEqual({
			rate: 990,
			burst: 10,
		});
		// Below 30/s a second token would cost more than the lateness it absorbs.
		expect(broadcastPace({ sender: 's', rate: 10, replyShare: 0 })).toEqual({ rate: 9, burst: 1 });
	});

	it('reaches 0.95 of 80/s when every sleep ends 1 ms late, and no second holds more than 80', async () => {
		const clock = lateClock(1);
		const pace = broadcastPace({ sender: 's', rate: 80, replyShare: 0 });
		const times = await takeTimes(
			new TokenBucket({ ...pace, clock, startEmpty: true }),
			clock,
			800,
		);
		const perSecond = ((times.length - 1) / (times[times.length - 1] - times[0])) * 1000;
		expect(perSecond).toBeGreaterThanOrEqual(0.95 * 80);
		expect(busiestWindow(times)).toBeLessThanOrEqual(80);
		// On a clock that is never late the bound holds as well.
		const exact = lateClock(0);
		const onTime = await takeTimes(
			new TokenBucket({ ...pace, clock: exact, startEmpty: true }),
			exact,
			800,
		);
		expect(busiestWindow(onTime)).toBeLessThanOrEqual(80);
	});

	it('a burst of 1 loses the lateness every time (why the pace keeps two)', async () => {
		const clock = lateClock(1);
		const bucket = new TokenBucket({ rate: 79, burst: 1, clock, startEmpty: true });
		const times = await takeTimes(bucket, clock, 800);
		const perSecond = ((times.length - 1) / (times[times.length - 1] - times[0])) * 1000;
		// 1 / (1/79 s + 1 ms) = 73.2/s.
		expect(perSecond).toBeLessThan(0.95 * 80);
		expect(perSecond).toBeCloseTo(73.2, 0);
	});
});
