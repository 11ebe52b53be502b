import { verifyHandshake } from '../../../nodes/core/webhook';

const query = (overrides: Record<string, unknown> = {}) => ({
	'hub.mode': 'subscribe',
	'hub.challenge': '1158201444',
	'hub.verify_token': 'town-hall-secret',
	...overrides,
});

describe('verifyHandshake', () => {
	it('returns the challenge when mode and token match', () => {
		expect(verifyHandshake(query(), 'town-hall-secret')).toEqual({
			ok: true,
			challenge: '1158201444',
		});
	});

	it.each([
		['a wrong token', query({ 'hub.verify_token': 'town-hall-secreT' }), 'token_mismatch'],
		['a longer token', query({ 'hub.verify_token': 'town-hall-secret2' }), 'token_mismatch'],
		['no token', query({ 'hub.verify_token': undefined }), 'token_mismatch'],
		[
			'a token given twice',
			query({ 'hub.verify_token': ['town-hall-secret', 'x'] }),
			'token_mismatch',
		],
		['another mode', query({ 'hub.mode': 'unsubscribe' }), 'not_subscribe'],
		['no challenge', query({ 'hub.challenge': '' }), 'no_challenge'],
	])('refuses %s', (_label, q, reason) => {
		expect(verifyHandshake(q, 'town-hall-secret')).toEqual({ ok: false, reason });
	});

	it('refuses everything while no verify token is configured', () => {
		expect(verifyHandshake(query({ 'hub.verify_token': '' }), '')).toEqual({
			ok: false,
			reason: 'no_token_configured',
		});
		expect(verifyHandshake(undefined, 'town-hall-secret')).toEqual({
			ok: false,
			reason: 'not_subscribe',
		});
	});
});
