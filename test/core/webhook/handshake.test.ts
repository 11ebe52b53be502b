import { verifyHandshake } from '../../../nodes/core/webhook';

const TOKEN = ['town', 'hall', 'secret'].join('-');

const query = (overrides: Record<string, unknown> = {}) => ({
	'hub.mode': 'subscribe',
	'hub.challenge': '1158201444',
	'hub.verify_token': TOKEN,
	...overrides,
});

describe('verifyHandshake', () => {
	it('returns the challenge when mode and token match', () => {
		expect(verifyHandshake(query(), TOKEN)).toEqual({
			ok: true,
			challenge: '1158201444',
		});
	});

	it.each([
		['a wrong token', query({ 'hub.verify_token': TOKEN.slice(0, -1) + 'T' }), 'token_mismatch'],
		['a longer token', query({ 'hub.verify_token': TOKEN + '2' }), 'token_mismatch'],
		['no token', query({ 'hub.verify_token': undefined }), 'token_mismatch'],
		['a token given twice', query({ 'hub.verify_token': [TOKEN, 'x'] }), 'token_mismatch'],
		['another mode', query({ 'hub.mode': 'unsubscribe' }), 'not_subscribe'],
		['no challenge', query({ 'hub.challenge': '' }), 'no_challenge'],
	])('refuses %s', (_label, q, reason) => {
		expect(verifyHandshake(q, TOKEN)).toEqual({ ok: false, reason });
	});

	it('refuses everything while no verify token is configured', () => {
		expect(verifyHandshake(query({ 'hub.verify_token': '' }), '')).toEqual({
			ok: false,
			reason: 'no_token_configured',
		});
		expect(verifyHandshake(undefined, TOKEN)).toEqual({
			ok: false,
			reason: 'not_subscribe',
		});
	});
});
