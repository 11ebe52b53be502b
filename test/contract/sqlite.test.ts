import { sqliteBackend } from './backends';
import { describeConsentStore } from './consent-store.contract';

describe('consent store contract: SQLite (node:sqlite)', () => describeConsentStore(sqliteBackend));
