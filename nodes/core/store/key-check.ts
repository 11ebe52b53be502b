import { DecryptionError } from '../errors';
import { decrypt, encrypt } from '../privacy/cipher';
import type { PrivacyKeys } from '../privacy/keys';
import type { SqlDriver } from './sql-driver';

const AAD = 'key_check';
const PLAINTEXT = 'n8n-nodes-civic-broadcast key check';

/**
 * A wrong data-protection key cannot decrypt numbers, and worse, its blind indexes find nobody:
 * "Start" would create a second subscriber and "Stop" would delete no one. So the first opener
 * stores a value encrypted with its key, and every later opener must be able to decrypt it.
 */
export async function verifyDataProtectionKey(driver: SqlDriver, keys: PrivacyKeys): Promise<void> {
	await driver.run(
		`INSERT INTO key_check (id, check_cipher) VALUES (1, $1) ON CONFLICT (id) DO NOTHING`,
		[encrypt(keys.encryption, PLAINTEXT, AAD)],
	);
	const [row] = await driver.all(`SELECT check_cipher FROM key_check WHERE id = 1`);
	const cipher = row.check_cipher;
	try {
		decrypt(
			keys.encryption,
			Buffer.isBuffer(cipher) ? cipher : Buffer.from(cipher as Uint8Array),
			AAD,
		);
	} catch (cause) {
		throw new DecryptionError(
			'The data-protection key does not match the one this consent store was created with: enter the original key in the Consent Store credential (numbers stored with another key cannot be read or found).',
			{ cause },
		);
	}
}
