import { busiestSecond, longestGap } from '../../bench/busiest-second';

describe('bench: the busiest second from arrival times', () => {
	it('counts fixed seconds and any one-second window apart', () => {
		// 3 late in second 1 and 3 early in second 2: no fixed second holds more than 3, but the
		// window from 1,900 ms holds all 6.
		expect(busiestSecond([1_900, 1_950, 1_999, 2_000, 2_100, 2_800])).toEqual({
			fixed: 3,
			sliding: 6,
		});
		expect(busiestSecond([1_900, 1_950, 1_999, 2_000, 2_100, 2_899, 2_900, 5_000])).toEqual({
			fixed: 4,
			sliding: 6,
		});
	});

	it('ends a window one millisecond short of a second', () => {
		expect(busiestSecond([0, 999]).sliding).toBe(2);
		expect(busiestSecond([0, 1_000]).sliding).toBe(1);
	});

	it('does not depend on the order of arrival and handles none', () => {
		expect(busiestSecond([2_500, 100, 900, 1_050])).toEqual({ fixed: 2, sliding: 3 });
		expect(busiestSecond([])).toEqual({ fixed: 0, sliding: 0 });
	});

	it('finds the longest pause', () => {
		expect(longestGap([0, 10, 1_200, 1_210])).toBe(1_190);
		expect(longestGap([5])).toBe(0);
	});
});
