import { closeAllStores } from '../../../nodes/shared/store-cache';
import { makeWamid } from '../../../simulator/wamid';
import { sealMessageId } from '../../../nodes/core/privacy/sealer';
import { findPhoneLeaks } from '../../support/privacy';
import { tempSqlite, type TempSqlite } from '../../support/temp-store';
import { testKeys as keys } from '../../support/test-key';
import { messageItem, NODE, runConsentStore } from './support';

const PHONES = ['4915112345678', '38640123456', '436641234567'];

describe('after a node run, the SQLite file holds no plaintext number', () => {
	let ctx: TempSqlite;
	beforeEach(() => (ctx = tempSqlite()));
	afterEach(() => ctx.dispose());

	it('searches the raw bytes of the database files (main, WAL, SHM) for every form of the digits', async () => {
		const items = PHONES.flatMap((phone, i) => [
			messageItem(phone, {
				text: 'Start',
				messageId: sealMessageId(keys, makeWamid(phone, i + 1)),
			}),
			messageItem(phone, { text: 'info' }),
			messageItem(phone, { text: 'Frage zur Müllabfuhr' }),
		]);
		items.push(messageItem(PHONES[2], { text: 'Stop' }));
		const run = await runConsentStore({ operation: 'processMessage' }, items, ctx.credential);
		expect(run.error).toBeUndefined();
		expect(run.json(NODE, 0)).toHaveLength(3);
		await runConsentStore(
			{
				operation: 'import',
				inputSource: 'text',
				contacts: 'phone;name\n+49 170 7654321;Gast_0050\n+49 170 1111222;Erika Mustermann\n',
			},
			[{ json: {} }],
			ctx.credential,
		);
		// close first, so that nothing sits only in memory; the WAL file is searched too if it remains
		await closeAllStores();
		const raw = await ctx.rawContents();
		expect(raw).toContain('Gast_0001');
		expect(raw).toContain('Gast_0050');
		expect(findPhoneLeaks(raw, [...PHONES, '491707654321', '491701111222'])).toEqual([]);
		// real names from an imported contact list are not kept (data minimisation)
		expect(raw).not.toContain('Mustermann');
		expect(findPhoneLeaks(JSON.stringify(run.run.data.resultData.runData[NODE]), PHONES)).toEqual(
			[],
		);
	});
});
