import { tempSqlite } from '../support/temp-store';
import { describeConsentStore } from './consent-store.contract';
import { describeInboxStore } from './inbox.contract';
import { describeLimits } from './limits.contract';

describe('consent store contract: SQLite (node:sqlite)', () => describeConsentStore(tempSqlite));

describe('inbox and message order contract: SQLite (node:sqlite)', () =>
	describeInboxStore(tempSqlite));

describe('undeliverable subscribers and the staff limit: SQLite (node:sqlite)', () =>
	describeLimits(tempSqlite));
