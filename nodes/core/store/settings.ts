import { homedir } from 'node:os';
import path from 'node:path';

import { ConfigError } from '../errors';
import { derivePrivacyKeys } from '../privacy/keys';
import type { StoreConfig } from './index';

/** The Consent Store Database settings as staff enter them (the `consentStoreDb` credential). */
export interface StoreSettings {
	backend?: string;
	sqlitePath?: string;
	host?: string;
	port?: number;
	database?: string;
	user?: string;
	password?: string;
	ssl?: boolean;
	schema?: string;
	dataProtectionKey?: string;
}

/**
 * The store's configuration from the entered settings, defaults applied. The privacy keys are
 * derived here from the data-protection key, so callers never handle key derivation themselves.
 */
export function storeConfigFrom(
	settings: StoreSettings,
	options: { pseudonymPrefix?: string } = {},
): StoreConfig {
	const keys = derivePrivacyKeys(settings.dataProtectionKey);
	const backend = settings.backend ?? 'sqlite';
	if (backend === 'sqlite') {
		return {
			backend,
			path: expandHome(settings.sqlitePath ?? ''),
			keys,
			pseudonymPrefix: options.pseudonymPrefix,
		};
	}
	if (backend === 'postgres') {
		return {
			backend,
			host: settings.host || 'localhost',
			port: Number(settings.port ?? 5432),
			database: settings.database || 'postgres',
			user: settings.user || 'postgres',
			password: settings.password || undefined,
			ssl: settings.ssl === true,
			schema: settings.schema || 'civic_broadcast',
			keys,
			pseudonymPrefix: options.pseudonymPrefix,
		};
	}
	throw new ConfigError(`Unknown storage backend "${backend}": use "sqlite" or "postgres"`);
}

function expandHome(file: string): string {
	if (file === '~' || file.startsWith('~/')) return path.join(homedir(), file.slice(1));
	return file;
}
