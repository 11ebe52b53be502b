/**
 * One error hierarchy for the core; node routers translate it into n8n errors in one place.
 * Messages name what to fix and never contain a phone number.
 */
export class CivicBroadcastError extends Error {
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = new.target.name;
	}
}

/** A setting is missing or invalid (credential, node parameter). */
export class ConfigError extends CivicBroadcastError {}

/** Input that cannot be processed (malformed import line, unparseable number, bad payload). */
export class InputError extends CivicBroadcastError {}

/** The database could not be reached or refused an operation. */
export class StoreError extends CivicBroadcastError {}

/** Data cannot be decrypted: wrong data-protection key or tampered value. */
export class DecryptionError extends CivicBroadcastError {}

/** A message was not sent: the channel refused it, or never answered (the message says which). */
export class SendError extends CivicBroadcastError {}
