import { tempPostgres, tempSqlite } from '../support/temp-store';
import { describeBroadcastQueue } from './queue.contract';

describe('broadcast queue contract: SQLite (node:sqlite)', () =>
	describeBroadcastQueue(tempSqlite));
describe('broadcast queue contract: PostgreSQL (127.0.0.1:5432)', () =>
	describeBroadcastQueue(tempPostgres));
