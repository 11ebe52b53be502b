import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { isUnreachable } from '../../../../nodes/core/broadcast';
import {
	CloudApiError,
	outcomeOf,
	whatsAppMessages,
	type RetryClass,
} from '../../../../nodes/core/channels/whatsapp';

const error = (
	retryClass: RetryClass,
	fields: { httpStatus?: number; code?: number; certain?: boolean } = {},
) =>
	new CloudApiError(
		`error ${fields.code ?? fields.httpStatus ?? 'none'}`,
		fields.httpStatus,
		fields.code,
		retryClass,
		fields.certain ?? true,
	);

describe('the WhatsApp channel speaks the engine’s outcomes', () => {
	it.each([
		[
			'accepted',
			{ ok: true as const, messageId: 'wamid.A' },
			{ kind: 'accepted', messageId: 'wamid.A' },
		],
		[
			'a skip with a known code',
			{ ok: false as const, error: error('skip', { httpStatus: 400, code: 131050 }) },
			{ kind: 'definite', reason: 'marketing_opt_out', code: 131050, message: 'error 131050' },
		],
		[
			'a skip with an unknown code',
			{ ok: false as const, error: error('skip', { httpStatus: 400, code: 131099 }) },
			{ kind: 'definite', reason: 'error_131099', code: 131099 },
		],
		[
			'the 24-hour window',
			{ ok: false as const, error: error('skip', { httpStatus: 400, code: 131047 }) },
			{ kind: 'definite', reason: 'outside_24h_window' },
		],
		[
			'throttling',
			{ ok: false as const, error: error('throttle', { httpStatus: 429, code: 130429 }) },
			{ kind: 'paused', message: 'error 130429' },
		],
		[
			'the pair rate',
			{ ok: false as const, error: error('pair-rate', { httpStatus: 400, code: 131056 }) },
			{ kind: 'retryable', answered: true, certain: true, pace: 'recipient' },
		],
		[
			'a lost answer',
			{ ok: false as const, error: error('retry', { certain: false }) },
			{ kind: 'retryable', answered: false, certain: false },
		],
		[
			'a refused token',
			{ ok: false as const, error: error('abort', { httpStatus: 401, code: 190 }) },
			{ kind: 'abort', message: 'error 190' },
		],
	])('%s', (_, result, outcome) => {
		expect(outcomeOf(result)).toMatchObject(outcome);
	});

	it('a temporary error paces only when Meta says the recipient gets too much', () => {
		expect(outcomeOf({ ok: false, error: error('retry', { httpStatus: 503 }) })).not.toHaveProperty(
			'pace',
		);
	});

	it('cannot reach a subscriber without a number; the preview carries no address', () => {
		const prepared = whatsAppMessages.prepare({ mode: 'text', text: 'Hallo' }, 'key-1');
		const noNumber = prepared.address({
			subscriberId: 1,
			pseudonym: 'Gast_0001',
			language: 'de',
			userId: 'DE.1',
		});
		expect(isUnreachable(noNumber)).toBe(true);
		expect(noNumber).toEqual({ unreachable: 'no_phone_number' });
		const preview = prepared.preview('sl');
		expect(preview).not.toHaveProperty('to');
		expect(preview).toMatchObject({ type: 'text', biz_opaque_callback_data: 'key-1' });
	});
});

describe('the send loop is channel-neutral', () => {
	const broadcast = path.resolve(__dirname, '../../../../nodes/core/broadcast');

	it('no module of the engine imports a channel or Meta’s wire types', () => {
		const imports = readdirSync(broadcast)
			.filter((file) => file.endsWith('.ts'))
			.flatMap((file) =>
				[...readFileSync(path.join(broadcast, file), 'utf8').matchAll(/from '([^']+)'/g)].map(
					(match) => `${file}: ${match[1]}`,
				),
			);
		expect(imports.length).toBeGreaterThan(20);
		expect(imports.filter((line) => /channels|cloud-api|wire-types/.test(line))).toEqual([]);
	});
});
