import { tempPostgres } from '../support/temp-store';
import { describeConsentStore } from './consent-store.contract';

describe('consent store contract: PostgreSQL (127.0.0.1:5432)', () =>
	describeConsentStore(tempPostgres));
