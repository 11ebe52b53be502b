import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { DEFAULT_REPLY_TEXTS } from '../../../nodes/core/consent';

import { findPhoneLeaks } from '../../support/privacy';
import { tempPostgres, tempSqlite, type TempSqlite } from '../../support/temp-store';
import { messageItem, NODE, runConsentStore } from './support';

const ANNA = '4915112345678';
const BOŠTJAN = '38640123456';
const CARL = '436641234567';
const params = { operation: 'processMessage', serviceName: 'Stadtinfo', defaultLanguage: 'de' };

describe('Consent Store: Process Message inside WorkflowExecute (SQLite)', () => {
	let ctx: TempSqlite;
	beforeEach(() => (ctx = tempSqlite()));
	afterEach(() => ctx.dispose());

	it('routes Start, Stop, Info/Help and everything else to the four outputs', async () => {
		await runConsentStore(params, [messageItem(BOŠTJAN, { text: 'prijava' })], ctx.credential);
		const items = [
			messageItem(ANNA, { text: 'Start!' }),
			messageItem(BOŠTJAN, { text: 'ODJAVA' }),
			messageItem(CARL, { text: 'info' }),
			messageItem(CARL, { text: 'Hilfe' }),
			messageItem(ANNA, { text: 'Wann ist der Markt?' }),
		];
		const run = await runConsentStore(params, items, ctx.credential);
		expect(run.error).toBeUndefined();

		const [subscribed] = run.json(NODE, 0);
		expect(subscribed).toMatchObject({
			action: 'subscribed',
			pseudonym: 'Gast_0002',
			replyTo: 'Gast_0002',
			language: 'de',
			keyword: 'start',
			sender: items[0].json.sender,
		});
		expect(subscribed.replyText).toContain('Willkommen bei Stadtinfo!');

		expect(run.json(NODE, 1)).toEqual([
			{
				action: 'unsubscribed',
				language: 'sl',
				keyword: 'odjava',
				replyTo: items[1].json.sender,
				replyText:
					'Odjavljeni ste. Vaša številka je bila takoj izbrisana. S PRIJAVA se lahko kadar koli znova prijavite.',
				sender: items[1].json.sender,
				messageType: 'text',
			},
		]);

		const info = run.json(NODE, 2);
		expect(info.map((i) => i.action)).toEqual(['info', 'help']);
		expect(info[0]).toMatchObject({ replyTo: items[2].json.sender, language: 'de' });
		expect(info[1].replyText).toContain('START: anmelden');

		expect(run.json(NODE, 3)).toEqual([
			{
				action: 'other',
				language: 'de',
				pseudonym: 'Gast_0002',
				replyTo: 'Gast_0002',
				replyText: null,
				sender: items[4].json.sender,
				text: 'Wann ist der Markt?',
				messageType: 'text',
			},
		]);
		// paired items let the next node find the trigger item each result came from
		expect(run.output(NODE, 3)[0].pairedItem).toEqual({ item: 4 });
		expect(
			findPhoneLeaks(JSON.stringify(run.run.data.resultData.runData), [ANNA, BOŠTJAN, CARL]),
		).toEqual([]);
	});

	it('takes extra keywords and reply texts from the node options', async () => {
		const run = await runConsentStore(
			{
				...params,
				messageOptions: {
					extraKeywords: { keyword: [{ keyword: 'Abo', action: 'join', language: 'en' }] },
					// As the editor stores it after "Add Language > English": every text, one changed.
					replyTexts: { en: { ...DEFAULT_REPLY_TEXTS.en, subscribed: 'Hi {pseudonym}!' } },
				},
			},
			[messageItem(ANNA, { text: 'ABO!' }), messageItem(ANNA, { text: 'Help' })],
			ctx.credential,
		);
		expect(run.json(NODE, 0)).toMatchObject([{ replyText: 'Hi Gast_0001!', language: 'en' }]);
		expect(run.json(NODE, 2)).toMatchObject([
			{ replyText: DEFAULT_REPLY_TEXTS.en.help.replace('{service}', 'Stadtinfo') },
		]);
	});

	it('refuses a reply text staff emptied, naming the situation and language', async () => {
		const run = await runConsentStore(
			{ ...params, messageOptions: { replyTexts: { sl: { help: ' ' } } } },
			[messageItem(ANNA, { text: 'Start' })],
			ctx.credential,
		);
		expect(run.error?.message).toMatch(/reply text for "help" in "sl" is empty/);
	});

	it('with Continue On Fail puts a broken item on Other with a clear error, and handles the rest', async () => {
		const run = await runWorkflowContinue(ctx.credential);
		expect(run.json(NODE, 3)).toEqual([
			{
				error:
					'The item has no `sender`: connect the Messages output of the WhatsApp Broadcast Trigger',
			},
		]);
		expect(run.json(NODE, 0)).toHaveLength(1);
	});
});

function runWorkflowContinue(credential: ICredentialDataDecryptedObject) {
	return runConsentStore(
		params,
		[{ json: { type: 'text', text: 'start' } }, messageItem(ANNA, { text: 'start' })],
		credential,
		'continueRegularOutput',
	);
}

describe('Consent Store: Process Message inside WorkflowExecute (PostgreSQL)', () => {
	const db = tempPostgres();
	afterAll(() => db.dispose());

	it('routes the same way and leaves no plaintext number in the tables', async () => {
		const run = await runConsentStore(
			params,
			[
				messageItem(ANNA, { text: 'start' }),
				messageItem(CARL, { text: 'join' }),
				messageItem(CARL, { text: 'stop' }),
				messageItem(ANNA, { text: 'daten' }),
				messageItem(ANNA, { text: 'Start of the fair?' }),
			],
			db.credential,
		);
		expect(run.error).toBeUndefined();
		expect(run.json(NODE, 0).map((i) => i.pseudonym)).toEqual(['Gast_0001', 'Gast_0002']);
		expect(run.json(NODE, 1)).toMatchObject([{ action: 'unsubscribed', language: 'en' }]);
		expect(run.json(NODE, 2)).toMatchObject([{ action: 'info', pseudonym: 'Gast_0001' }]);
		expect(run.json(NODE, 3)).toMatchObject([{ action: 'other', text: 'Start of the fair?' }]);

		const raw = await db.rawContents();
		expect(raw).toContain('Gast_0001');
		expect(findPhoneLeaks(raw, [ANNA, CARL])).toEqual([]);
	});
});
