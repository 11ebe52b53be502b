import { classifyError } from '../../../../nodes/core/channels/whatsapp';

describe('error classification (reference table)', () => {
	it.each([
		[130429, 'throttle'],
		[4, 'throttle'],
		[80007, 'throttle'],
		[131056, 'pair-rate'],
		[1, 'retry'],
		[2, 'retry'],
		[131000, 'retry'],
		[131016, 'retry'],
		[133004, 'retry'],
		[131026, 'skip'],
		[131047, 'skip'],
		[131049, 'skip'],
		[131050, 'skip'],
		[131051, 'skip'],
		[131052, 'skip'],
		[0, 'abort'],
		[190, 'abort'],
		[131048, 'abort'],
		[368, 'abort'],
		[131031, 'abort'],
		[100, 'abort'],
		[131008, 'abort'],
		[131009, 'abort'],
		[132000, 'abort'],
		[132001, 'abort'],
		[132018, 'abort'],
	])('code %i → %s', (code, expected) => {
		expect(classifyError(code, 400)).toBe(expected);
	});

	it('without a Meta code: 5xx and no answer retry, 429 throttles, 401 aborts', () => {
		expect(classifyError(undefined, 502)).toBe('retry');
		expect(classifyError(undefined, undefined)).toBe('retry');
		expect(classifyError(undefined, 429)).toBe('throttle');
		expect(classifyError(undefined, 401)).toBe('abort');
	});
});
