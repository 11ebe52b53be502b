import { tempSqlite } from '../support/temp-store';
import { describeConsentStore } from './consent-store.contract';
import { describeInboxStore } from './inbox.contract';

describe('consent store contract: SQLite (node:sqlite)', () => describeConsentStore(tempSqlite));

describe('inbox and message order contract: SQLite (node:sqlite)', () =>
	describeInboxStore(tempSqlite));
