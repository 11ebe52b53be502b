import { createHmac } from 'node:crypto';

import { checkSignature, verifySignature } from '../../../nodes/core/webhook';
import { serializeLikeMeta, signBody } from '../../../simulator';
import { CITIZEN, envelope, everyMessageType, messagesChange } from './fixtures';

const SECRET = 'app-secret-of-the-municipality';
const raw = Buffer.from(
	serializeLikeMeta(envelope([messagesChange({ messages: everyMessageType() })])),
);
const header = signBody(raw, SECRET);

describe('verifySignature', () => {
	it('accepts the signature of the exact bytes, computed independently', () => {
		const independent = 'sha256=' + createHmac('sha256', SECRET).update(raw).digest('hex');
		expect(independent).toBe(header);
		expect(verifySignature(raw, header, SECRET)).toBe(true);
		expect(verifySignature(raw, header.toUpperCase().replace('SHA256=', 'sha256='), SECRET)).toBe(
			true,
		);
	});

	it('rejects the body with any single byte changed', () => {
		for (const index of [0, Math.floor(raw.length / 2), raw.length - 1]) {
			const changed = Buffer.from(raw);
			changed[index] ^= 0x01;
			expect(checkSignature(changed, header, SECRET)).toEqual({ ok: false, reason: 'mismatch' });
		}
	});

	it('rejects a signature made over the re-serialised body (Meta escapes unicode)', () => {
		const reserialised = Buffer.from(JSON.stringify(JSON.parse(raw.toString('utf8'))));
		expect(reserialised.equals(raw)).toBe(false);
		expect(verifySignature(reserialised, header, SECRET)).toBe(false);
		expect(verifySignature(raw, signBody(reserialised, SECRET), SECRET)).toBe(false);
	});

	it('rejects a wrong secret', () => {
		expect(checkSignature(raw, header, SECRET + 'x')).toEqual({ ok: false, reason: 'mismatch' });
	});

	it.each([
		['missing', undefined, 'missing'],
		['empty', '', 'missing'],
		['repeated header', [header, header], 'missing'],
		['without prefix', header.slice('sha256='.length), 'malformed'],
		['sha1 prefix', header.replace('sha256=', 'sha1='), 'malformed'],
		['one hex digit short', header.slice(0, -1), 'malformed'],
		['one hex digit long', header + '0', 'malformed'],
		['twice as long', header + header.slice('sha256='.length), 'malformed'],
		['non-hex characters of the right length', 'sha256=' + 'zz'.repeat(32), 'malformed'],
		['a number', 12345, 'missing'],
	])('rejects a signature that is %s, without throwing', (_label, value, reason) => {
		expect(checkSignature(raw, value, SECRET)).toEqual({ ok: false, reason });
		expect(verifySignature(raw, value, SECRET)).toBe(false);
	});

	it('rejects everything when no app secret is configured, and a missing body', () => {
		expect(checkSignature(raw, header, '')).toEqual({ ok: false, reason: 'no_secret' });
		expect(verifySignature(undefined, header, SECRET)).toBe(false);
	});

	it('signs what Meta sends: the fixture body holds escaped unicode and the citizen', () => {
		expect(raw.toString('utf8')).toContain('\\ud83d\\ude80');
		expect(raw.toString('utf8')).toContain(CITIZEN);
	});
});
