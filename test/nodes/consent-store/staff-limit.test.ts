import { findPhoneLeaks } from '../../support/privacy';
import { tempPostgres, tempSqlite, type TempStore } from '../../support/temp-store';
import { messageItem, NODE, runConsentStore } from './support';

const ANNA = '4915112345678';
const BORIS = '38640123456';
const HOUR = 3_600_000;
const params = { operation: 'processMessage', serviceName: 'Stadtinfo', defaultLanguage: 'de' };
const questions = (phone: string, n: number) =>
	Array.from({ length: n }, (_, i) => messageItem(phone, { text: `Frage ${i + 1}` }));

/** Nobody can flood staff (issue 12, point 6): Process Message in n8n's real engine. */
describe.each([
	['SQLite', tempSqlite],
	['PostgreSQL', tempPostgres],
] as Array<[string, () => TempStore]>)(
	'Consent Store: messages to staff per person and hour (%s)',
	(_, makeDb) => {
		let db: TempStore;
		beforeEach(() => (db = makeDb()));
		afterEach(() => db.dispose());

		it('a flood of 100 questions from one person: 5 leave with text for staff, 95 without (held_back); another person is heard', async () => {
			const run = await runConsentStore(
				params,
				[...questions(ANNA, 100), ...questions(BORIS, 1)],
				db.credential,
			);
			expect(run.error).toBeUndefined();
			const other = run.json(NODE, 3);
			expect(other).toHaveLength(101);
			const withText = other.filter((i) => typeof i.text === 'string');
			expect(withText.map((i) => i.text)).toEqual([
				'Frage 1',
				'Frage 2',
				'Frage 3',
				'Frage 4',
				'Frage 5',
				'Frage 1',
			]);
			const held = other.filter((i) => i.action === 'held_back');
			expect(held).toHaveLength(95);
			expect(held[0]).toMatchObject({ reason: 'held_back', replyText: null });
			expect(held[0]).not.toHaveProperty('text');
			// The summary comes an hour after the first message held back, not now.
			expect(run.json(NODE, 4)).toEqual([]);
			expect(
				findPhoneLeaks(JSON.stringify(run.run.data.resultData.runData), [ANNA, BORIS]),
			).toEqual([]);
			expect(findPhoneLeaks(await db.rawContents(), [ANNA, BORIS])).toEqual([]);
		});

		it('once the hour is over, the next run puts one summary on Held Back: counts only', async () => {
			const store = await db.open();
			const past = Date.now() - 2 * HOUR;
			for (let i = 0; i < 9; i++)
				await store.admitToStaff({ phone: ANNA }, { limit: 5, now: new Date(past + i) });
			await store.admitToStaff({ phone: BORIS }, { limit: 0, now: new Date(past + 10) });

			const run = await runConsentStore(params, questions(BORIS, 1), db.credential);
			expect(run.error).toBeUndefined();
			const [summary] = run.json(NODE, 4);
			expect(run.json(NODE, 4)).toHaveLength(1);
			expect(summary).toMatchObject({
				heldBackMessages: 5,
				heldBackPeople: 2,
				limitPerPersonAndHour: 5,
			});
			expect(Object.keys(summary).sort()).toEqual([
				'heldBackMessages',
				'heldBackPeople',
				'limitPerPersonAndHour',
				'since',
				'until',
			]);
			// Boris's hour (begun two hours ago with nothing forwarded) is over: his question reaches staff.
			expect(run.json(NODE, 3)[0]).toMatchObject({ action: 'other', text: 'Frage 1' });

			const again = await runConsentStore(params, questions(BORIS, 1), db.credential);
			expect(again.json(NODE, 4)).toEqual([]);
		});

		it('0 means no limit', async () => {
			const run = await runConsentStore(
				{ ...params, staffLimit: 0 },
				questions(ANNA, 12),
				db.credential,
			);
			expect(run.json(NODE, 3).filter((i) => typeof i.text === 'string')).toHaveLength(12);
		});
	},
);
