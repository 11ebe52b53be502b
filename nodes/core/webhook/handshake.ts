import { timingSafeEqual } from 'node:crypto';

export type HandshakeResult =
	| { ok: true; challenge: string }
	| {
			ok: false;
			reason: 'not_subscribe' | 'no_challenge' | 'token_mismatch' | 'no_token_configured';
	  };

/**
 * Meta's webhook verification (GET `?hub.mode=subscribe&hub.challenge=…&hub.verify_token=…`).
 * Query parsers may turn a repeated parameter into an array: anything but a single string fails.
 */
export function verifyHandshake(query: unknown, verifyToken: string | undefined): HandshakeResult {
	const q = (query ?? {}) as Record<string, unknown>;
	if (!verifyToken) return { ok: false, reason: 'no_token_configured' };
	if (q['hub.mode'] !== 'subscribe') return { ok: false, reason: 'not_subscribe' };
	const challenge = q['hub.challenge'];
	if (typeof challenge !== 'string' || challenge === '')
		return { ok: false, reason: 'no_challenge' };
	const given = q['hub.verify_token'];
	if (typeof given !== 'string' || !sameSecret(given, verifyToken)) {
		return { ok: false, reason: 'token_mismatch' };
	}
	return { ok: true, challenge };
}

/** Constant-time string comparison that does not reveal the expected length through an early exit. */
function sameSecret(given: string, expected: string): boolean {
	const a = Buffer.from(given, 'utf8');
	const b = Buffer.from(expected, 'utf8');
	// Compare against itself when lengths differ so both paths cost one timingSafeEqual.
	if (a.length !== b.length) {
		timingSafeEqual(b, b);
		return false;
	}
	return timingSafeEqual(a, b);
}
