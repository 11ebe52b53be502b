import type { Store } from '../../../nodes/core/store';
import {
	claimInRecord,
	dropDuplicates,
	eventKey,
	eventRef,
	parseEvents,
	selectEvents,
	SEVEN_DAYS_MS,
	type EventKeyClaimer,
	type SeenRecord,
} from '../../../nodes/core/webhook';
import { findPhoneLeaks } from '../../support/privacy';
import { tempSqlite } from '../../support/temp-store';
import { testKeys as keys } from '../../support/test-key';
import { CITIZEN, everyEvent, everyMessageType, everyStatus, NOW_SECONDS } from './fixtures';

const events = parseEvents(everyEvent()).events;
const now = (NOW_SECONDS + 60) * 1000;

describe('selectEvents', () => {
	it('keeps everything by default', () => {
		expect(selectEvents(events, { now }).kept).toHaveLength(events.length);
	});

	it('keeps only the chosen message types and statuses', () => {
		const selection = selectEvents(events, {
			now,
			messageTypes: ['text', 'preference'],
			statuses: ['failed'],
		});
		expect(
			selection.kept.map((e) =>
				e.kind === 'status' ? e.status : e.kind === 'message' ? e.type : 'preference',
			),
		).toEqual(['text', 'failed', 'preference']);
		expect(selection.droppedByType).toBe(events.length - 3);
	});

	it('drops messages older than the limit but keeps late statuses', () => {
		const at = (NOW_SECONDS + 30) * 1000 + 10 * 60_000;
		const selection = selectEvents(events, { now: at, maxAgeMinutes: 10 });
		// Messages were sent at NOW+1…NOW+15 s, the preference at NOW+50 s; the limit is NOW+30 s.
		expect(selection.droppedAsOld).toBe(everyMessageType().length);
		expect(selection.kept.map((e) => e.kind)).toEqual([
			...everyStatus().map(() => 'status'),
			'preference',
		]);
	});
});

describe('claimInRecord (workflow static data)', () => {
	it('claims new refs once and forgets them after the horizon', () => {
		const record: SeenRecord = {};
		expect(claimInRecord(record, ['a', 'b'], 1000, { maxEntries: 10 })).toEqual(['a', 'b']);
		expect(claimInRecord(record, ['b', 'c'], 2000, { maxEntries: 10 })).toEqual(['c']);
		expect(claimInRecord(record, ['a'], 1000 + SEVEN_DAYS_MS + 1, { maxEntries: 10 })).toEqual([
			'a',
		]);
		expect(Object.keys(record).sort()).toEqual(['a', 'c']);
	});

	it('stays within its size by evicting the oldest, which are then no longer recognised', () => {
		const record: SeenRecord = {};
		for (let i = 0; i < 50; i++) claimInRecord(record, [`r${i}`], i, { maxEntries: 20 });
		expect(Object.keys(record)).toHaveLength(20);
		expect(claimInRecord(record, ['r49'], 60, { maxEntries: 20 })).toEqual([]);
		expect(claimInRecord(record, ['r0'], 61, { maxEntries: 20 })).toEqual(['r0']);
	});
});

describe('dropDuplicates', () => {
	const db = tempSqlite();
	let store: Store;
	beforeAll(async () => (store = await db.open()));
	afterAll(() => db.dispose());
	const storeClaimer = (): EventKeyClaimer => ({
		claim: (k, at) => store.claimEventKeys(k, { now: at, horizonDays: 7 }),
	});

	it('keys a message by wamid, a status by wamid and status', () => {
		const statusKeys = events.filter((e) => e.kind === 'status').map(eventKey);
		expect(new Set(statusKeys).size).toBe(statusKeys.length);
		expect(statusKeys[0]).toMatch(/^s:wamid\..+:sent$/);
		expect(findPhoneLeaks(eventRef(keys, statusKeys[0]), [CITIZEN])).toEqual([]);
	});

	it('lets each event through once across deliveries, and drops repeats inside one delivery', async () => {
		const first = await dropDuplicates([...events, events[0]], storeClaimer(), new Date(now));
		expect(first.fresh).toEqual(events);
		expect(first.duplicates).toBe(1);
		const second = await dropDuplicates(events, storeClaimer(), new Date(now + 1000));
		expect(second).toEqual({ fresh: [], duplicates: events.length });
	});
});
