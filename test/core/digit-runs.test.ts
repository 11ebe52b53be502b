import http from 'node:http';

import { CloudApiClient } from '../../nodes/core/channels/whatsapp';
import { digitRuns, maskDigitRuns } from '../../nodes/core/digit-runs';
import { TYPED_DIGITS, TYPED_PHONES } from '../support/formatted-phones';
import { closeServer, listenOnLoopback } from '../support/loopback';
import { findPhoneLeaks } from '../support/privacy';

describe('digit runs across separators', () => {
	it.each(TYPED_PHONES.map((phone) => [phone.typed, phone.digits]))(
		'reads %s as one run and masks it',
		(typed, digits) => {
			expect(digitRuns(`Nummer ${typed} ungültig`)).toHaveLength(1);
			const masked = maskDigitRuns(`(#131026) Message undeliverable to ${typed}.`, 7);
			expect(masked.replace('(#131026)', '')).not.toMatch(/\d/);
			expect(findPhoneLeaks(masked, [digits])).toEqual([]);
		},
	);

	it('keeps runs shorter than the limit: error codes, counts, versions', () => {
		expect(maskDigitRuns('(#131026) Message undeliverable', 7)).toBe(
			'(#131026) Message undeliverable',
		);
		expect(maskDigitRuns('Retry in 30 s, v24.0', 7)).toBe('Retry in 30 s, v24.0');
	});
});

describe('CloudApiClient with a Meta error that echoes a number', () => {
	let server: http.Server | undefined;
	afterEach(() => closeServer(server));

	it('passes the title on without the number, however it is written', async () => {
		const echoed = TYPED_PHONES.map((phone) => phone.typed).join(', ');
		server = http.createServer((_req, res) => {
			res.writeHead(400, { 'content-type': 'application/json' });
			res.end(
				JSON.stringify({
					error: { code: 131026, message: `(#131026) Message undeliverable to ${echoed}` },
				}),
			);
		});
		const port = await listenOnLoopback(server);
		const client = new CloudApiClient({
			baseUrl: `http://127.0.0.1:${port}/`,
			version: 'v24.0',
			phoneNumberId: '1',
			accessToken: 't',
		});
		try {
			const result = await client.send({
				messaging_product: 'whatsapp',
				recipient_type: 'individual',
				to: TYPED_DIGITS[0],
				type: 'text',
				text: { preview_url: false, body: 'x' },
			});
			expect(result.ok).toBe(false);
			if (result.ok) return;
			expect(result.error.message).toContain('Message undeliverable to');
			expect(findPhoneLeaks(result.error.message, TYPED_DIGITS)).toEqual([]);
		} finally {
			client.close();
		}
	});
});
