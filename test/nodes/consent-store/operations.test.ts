import { closeAllStores } from '../../../nodes/shared/store-cache';
import { findPhoneLeaks } from '../../support/privacy';
import { tempSqlite, type TempSqlite } from '../../support/temp-store';
import { messageItem, NODE, runConsentStore } from './support';

const PAPER = '0151 2345 6789';
const PAPER_E164 = '4915123456789';

describe('Consent Store operations inside WorkflowExecute', () => {
	let ctx: TempSqlite;
	beforeEach(() => (ctx = tempSqlite()));
	afterEach(() => ctx.dispose());
	const run = (parameters: Record<string, unknown>, items = [{ json: {} }]) =>
		runConsentStore(parameters as never, items, ctx.credential);

	it('Subscribe by hand normalises with the default region and outputs only the pseudonym', async () => {
		const params = {
			operation: 'subscribe',
			phone: PAPER,
			defaultRegion: 'de',
			consentNote: 'paper form 2026-11-03',
		};
		const first = await run(params);
		expect(first.error).toBeUndefined();
		expect(first.json(NODE)).toEqual([
			{
				action: 'subscribed',
				pseudonym: 'Gast_0001',
				language: 'de',
				consentAt: expect.any(String),
			},
		]);
		expect((await run(params)).json(NODE)).toMatchObject([
			{ action: 'already_subscribed', pseudonym: 'Gast_0001' },
		]);
		// the same person writing "Stop" on WhatsApp is found: the number was normalised alike
		const stop = await runConsentStore(
			{ operation: 'processMessage' },
			[messageItem(PAPER_E164, { text: 'stop' })],
			ctx.credential,
		);
		expect(stop.json(NODE, 1)).toMatchObject([{ action: 'unsubscribed' }]);
		expect(
			findPhoneLeaks(JSON.stringify(first.run.data.resultData.runData[NODE]), [PAPER_E164]),
		).toEqual([]);
	});

	it('Look Up shows the stored facts without number or message ID', async () => {
		await runConsentStore(
			{ operation: 'processMessage' },
			[messageItem(PAPER_E164, { text: 'anmelden', messageId: 'wamid.X' })],
			ctx.credential,
		);
		const found = await run({ operation: 'lookUp', pseudonym: 'Gast_0001' });
		expect(found.json(NODE)).toEqual([
			{
				found: true,
				pseudonym: 'Gast_0001',
				language: 'de',
				consentAt: '2026-11-20T09:30:00.000Z',
				consentSource: 'whatsapp',
				consentKeyword: 'anmelden',
				consentTextVersion: 'v1',
				consentMessageRecorded: true,
				hasPhone: true,
				hasUserId: false,
			},
		]);
		expect((await run({ operation: 'lookUp', pseudonym: 'Gast_0404' })).json(NODE)).toEqual([
			{ found: false },
		]);
	});

	it('Unsubscribe by pseudonym and by phone number', async () => {
		await run({ operation: 'subscribe', phone: PAPER });
		await run({ operation: 'subscribe', phone: '+43 664 1234567' });
		expect(
			(
				await run({ operation: 'unsubscribe', identifyBy: 'pseudonym', pseudonym: 'Gast_0001' })
			).json(NODE),
		).toEqual([{ action: 'unsubscribed', pseudonym: 'Gast_0001' }]);
		const byPhone = await run({
			operation: 'unsubscribe',
			identifyBy: 'phone',
			phone: '0664 1234567',
			defaultRegion: 'AT',
		});
		expect(byPhone.json(NODE)).toEqual([{ action: 'unsubscribed', pseudonym: 'Gast_0002' }]);
		expect(
			(
				await run({ operation: 'unsubscribe', identifyBy: 'pseudonym', pseudonym: 'Gast_0001' })
			).json(NODE),
		).toEqual([{ action: 'not_subscribed' }]);
	});

	it('Import from a text field and from a binary vCard file', async () => {
		const csv = 'name;phone\nGast_0007;0151 11111111\nMax Mustermann;+386 40 123 456\n';
		const fromText = await run({ operation: 'import', inputSource: 'text', contacts: csv });
		expect(fromText.error).toBeUndefined();
		expect(fromText.json(NODE)).toEqual([
			{
				imported: 2,
				alreadySubscribed: 0,
				duplicatesInFile: 0,
				invalidLines: [],
				pseudonyms: ['Gast_0007', 'Gast_0008'],
			},
		]);
		const vcf =
			'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Gast_0100\r\nTEL;TYPE=CELL:+49 170 1234567\r\nEND:VCARD\r\n';
		const fromFile = await run(
			{ operation: 'import', inputSource: 'binary', binaryPropertyName: 'file' },
			[
				{
					json: {},
					binary: {
						file: {
							data: Buffer.from(vcf).toString('base64'),
							mimeType: 'text/vcard',
							fileName: 'kontakte.vcf',
						},
					},
				},
			] as never,
		);
		expect(fromFile.json(NODE)).toMatchObject([{ imported: 1, pseudonyms: ['Gast_0100'] }]);
		const stats = await run({ operation: 'statistics', days: 1 });
		expect(stats.json(NODE)[0]).toMatchObject({
			subscribers: 3,
			bySource: { import: 3, whatsapp: 0, manual: 0 },
		});
	});

	it('Statistics counts subscribers, sources, languages and joins/leaves per day', async () => {
		await runConsentStore(
			{ operation: 'processMessage' },
			[
				messageItem('4915111111111', { text: 'start', time: new Date().toISOString() }),
				messageItem('38640111222', { text: 'prijava', time: new Date().toISOString() }),
				messageItem('4915111111111', { text: 'stop', time: new Date().toISOString() }),
			],
			ctx.credential,
		);
		await run({ operation: 'subscribe', phone: PAPER });
		const stats = (await run({ operation: 'statistics', days: 7 })).json(NODE)[0];
		expect(stats).toMatchObject({
			subscribers: 2,
			bySource: { whatsapp: 1, manual: 1, import: 0 },
			byLanguage: { de: 1, sl: 1, en: 0 },
			joins: 3,
			leaves: 1,
		});
		expect(stats.days).toHaveLength(7);
	});

	it('Processing Record renders Markdown and HTML from the parameters and the credential', async () => {
		const base = {
			operation: 'processingRecord',
			controller: 'Občina Vzorec, Trg 1',
			controllerContact: 'info@vzorec.example',
			pseudonymPrefix: 'Gost_',
			consentTextVersion: '2',
			recordDetails: { serviceName: 'Obvestila', dataProtectionOfficer: 'dpo@vzorec.example' },
		};
		const md = (await run(base)).json(NODE)[0];
		expect(md).toMatchObject({ format: 'markdown', fileName: 'processing-record.md' });
		expect(md.record).toContain('# Record of processing activities (Art. 30 GDPR): Obvestila');
		expect(md.record).toContain('Gost_0001');
		expect(md.record).toContain('SQLite file');
		const html = (await run({ ...base, recordFormat: 'html' })).json(NODE)[0];
		expect(html.record).toContain('<h2>Transfer to third countries</h2>');
	});
});

afterAll(() => closeAllStores());
