import { tempPostgres } from '../support/temp-store';
import { describeConsentStore } from './consent-store.contract';
import { describeInboxStore } from './inbox.contract';
import { describeLimits } from './limits.contract';

describe('consent store contract: PostgreSQL (127.0.0.1:5432)', () =>
	describeConsentStore(tempPostgres));

describe('inbox and message order contract: PostgreSQL (127.0.0.1:5432)', () =>
	describeInboxStore(tempPostgres));

describe('undeliverable subscribers and the staff limit: PostgreSQL (127.0.0.1:5432)', () =>
	describeLimits(tempPostgres));
