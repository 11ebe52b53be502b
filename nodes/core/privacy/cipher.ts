import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

import { DecryptionError } from '../errors';
import { secretKey } from './key-object';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM with a fresh random IV per value; output is `iv ‖ ciphertext ‖ tag`.
 * The associated data binds a ciphertext to its purpose, so a value cannot be moved
 * from one column or token type to another.
 */
export function encrypt(key: Buffer, plaintext: string, associatedData: string): Buffer {
	const iv = randomBytes(IV_BYTES);
	const cipher = createCipheriv('aes-256-gcm', secretKey(key), iv);
	cipher.setAAD(Buffer.from(associatedData));
	const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
	return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

export function decrypt(key: Buffer, sealed: Buffer, associatedData: string): string {
	if (sealed.length < IV_BYTES + TAG_BYTES) {
		throw new DecryptionError('Encrypted value is truncated');
	}
	const iv = sealed.subarray(0, IV_BYTES);
	const tag = sealed.subarray(sealed.length - TAG_BYTES);
	const body = sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES);
	try {
		const decipher = createDecipheriv('aes-256-gcm', secretKey(key), iv);
		decipher.setAAD(Buffer.from(associatedData));
		decipher.setAuthTag(tag);
		return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
	} catch (cause) {
		throw new DecryptionError(
			'Cannot decrypt stored data: the data-protection key differs from the one it was written with, or the data was altered.',
			{ cause },
		);
	}
}
