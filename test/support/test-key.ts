import { derivePrivacyKeys } from '../../nodes/core/privacy/keys';

/**
 * The data-protection key of every test store and benchmark (the Consent Store credential's key).
 * A test about a wrong or foreign key spells its other key out where it uses it.
 */
export const TEST_KEY = 'test-data-protection-key';

/** The keys the store and the nodes derive from TEST_KEY: seal and open as they do. */
export const testKeys = derivePrivacyKeys(TEST_KEY);
