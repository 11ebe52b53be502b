import { tempSqlite } from '../support/temp-store';
import { describeConsentStore } from './consent-store.contract';

describe('consent store contract: SQLite (node:sqlite)', () => describeConsentStore(tempSqlite));
