import { makeWamid } from '../../simulator/wamid';
import { findPhoneLeaks } from './privacy';

const GERMAN = '4915112345678';
const SLOVENIAN = '38640123456';

describe('privacy leak finder (test support)', () => {
	it('finds a number in plain digits, in national form and inside a Meta-style wamid', () => {
		expect(findPhoneLeaks('from 4915112345678 x', [GERMAN])).not.toEqual([]);
		expect(findPhoneLeaks('call 015112345678', [GERMAN])).not.toEqual([]);
		for (let serial = 0; serial < 6; serial++) {
			const wamid = makeWamid(GERMAN, serial);
			expect(findPhoneLeaks(`{"messageId":"${wamid}"}`, [GERMAN])).not.toEqual([]);
			expect(findPhoneLeaks(`x${wamid.slice(6)}`, [GERMAN])).not.toEqual([]);
			expect(findPhoneLeaks(`xy${wamid.slice(6)}`, [GERMAN])).not.toEqual([]);
		}
	});

	it.each([
		['(0151) 12345678', GERMAN],
		['+49 (151) 12345678', GERMAN],
		['0151/12345678', GERMAN],
		['0049 151 12345678', GERMAN],
		['+49-151-123-456-78', GERMAN],
		['0151 123 456 78', GERMAN],
		['0151\u00a01234\u00a05678', GERMAN],
		['0151 – 1234 5678', GERMAN],
		['No subscriber has the pseudonym "0151.1234.5678"', GERMAN],
		['040 123 456', SLOVENIAN],
		['+386 40 123 456', SLOVENIAN],
		['00386 (40) 123-456', SLOVENIAN],
	])('finds %j written with separators', (written, phone) => {
		expect(findPhoneLeaks(`Error: ${written}.`, [phone])).not.toEqual([]);
		// Serialised, as in execution data: JSON escapes a newline, some writers escape non-ASCII.
		expect(findPhoneLeaks(JSON.stringify({ error: written }), [phone])).not.toEqual([]);
		const escaped = JSON.stringify(written).replace(/[^\x20-\x7e]/g, (c) => {
			return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
		});
		expect(findPhoneLeaks(escaped, [phone])).not.toEqual([]);
	});

	it('finds a number split across a line break in serialised text', () => {
		expect(findPhoneLeaks(JSON.stringify({ error: '0151\n12345678' }), [GERMAN])).not.toEqual([]);
	});

	it('does not flag text without the number', () => {
		expect(findPhoneLeaks(makeWamid(SLOVENIAN, 1) + ' Gast_0001 sealed1.abc', [GERMAN])).toEqual(
			[],
		);
		expect(
			findPhoneLeaks(
				JSON.stringify({
					time: '2026-11-24T10:00:00.000Z',
					counts: [1, 2, 3],
					error: 'The recipient is not a known pseudonym',
					pseudonym: 'Gast_0042',
				}),
				[GERMAN, SLOVENIAN],
			),
		).toEqual([]);
		// Digits that only share a prefix with the number are not it.
		expect(findPhoneLeaks('0151 1234', [GERMAN])).toEqual([]);
	});
});
