import { createSecretKey, type KeyObject } from 'node:crypto';

const cache = new WeakMap<Buffer, KeyObject>();

/**
 * The KeyObject for a raw key, made once. Node re-imports a raw Buffer key on every cipher and
 * HMAC call; at thousands of messages per second that import was the sender's largest CPU cost.
 * Same key, same output: only the import is skipped. Derived keys are never mutated.
 */
export function secretKey(raw: Buffer): KeyObject {
	let key = cache.get(raw);
	if (!key) {
		key = createSecretKey(raw);
		cache.set(raw, key);
	}
	return key;
}
