import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureCheck =
	| { ok: true }
	| { ok: false; reason: 'no_secret' | 'missing' | 'malformed' | 'mismatch' };

const PREFIX = 'sha256=';
const HEX_DIGEST = /^[0-9a-f]{64}$/i;

/**
 * Checks `X-Hub-Signature-256` (HMAC-SHA256 of the raw request bytes, keyed with the app secret).
 * Must be given the bytes as received: a body parsed and re-serialised differs from what Meta
 * signed (Meta escapes non-ASCII as \uXXXX and `/` as `\/`). Never throws.
 */
export function checkSignature(
	rawBody: Buffer | undefined,
	header: unknown,
	appSecret: string | undefined,
): SignatureCheck {
	if (!appSecret) return { ok: false, reason: 'no_secret' };
	const value = Array.isArray(header) ? undefined : header;
	if (typeof value !== 'string' || value === '') return { ok: false, reason: 'missing' };
	if (!value.startsWith(PREFIX)) return { ok: false, reason: 'malformed' };
	const hex = value.slice(PREFIX.length);
	// Exactly 64 hex digits: Buffer.from(…, 'hex') silently drops bad characters, which would let a
	// malformed header compare equal-length garbage.
	if (!HEX_DIGEST.test(hex)) return { ok: false, reason: 'malformed' };
	const expected = createHmac('sha256', appSecret)
		.update(rawBody ?? Buffer.alloc(0))
		.digest();
	const given = Buffer.from(hex, 'hex');
	if (given.length !== expected.length) return { ok: false, reason: 'malformed' };
	return timingSafeEqual(given, expected) ? { ok: true } : { ok: false, reason: 'mismatch' };
}

/** Boolean form of {@link checkSignature}. */
export function verifySignature(
	rawBody: Buffer | undefined,
	header: unknown,
	appSecret: string | undefined,
): boolean {
	try {
		return checkSignature(rawBody, header, appSecret).ok;
	} catch {
		return false;
	}
}
