import { makeWamid } from '../../simulator/wamid';
import { findPhoneLeaks } from './privacy';

describe('privacy leak finder (test support)', () => {
	it('finds a number in plain digits, in national form and inside a Meta-style wamid', () => {
		expect(findPhoneLeaks('from 4915112345678 x', ['4915112345678'])).not.toEqual([]);
		expect(findPhoneLeaks('call 015112345678', ['4915112345678'])).not.toEqual([]);
		for (let serial = 0; serial < 6; serial++) {
			const wamid = makeWamid('4915112345678', serial);
			expect(findPhoneLeaks(`{"messageId":"${wamid}"}`, ['4915112345678'])).not.toEqual([]);
			expect(findPhoneLeaks(`x${wamid.slice(6)}`, ['4915112345678'])).not.toEqual([]);
			expect(findPhoneLeaks(`xy${wamid.slice(6)}`, ['4915112345678'])).not.toEqual([]);
		}
	});

	it('does not flag text without the number', () => {
		expect(
			findPhoneLeaks(makeWamid('38640123456', 1) + ' Gast_0001 sealed1.abc', ['4915112345678']),
		).toEqual([]);
	});
});
