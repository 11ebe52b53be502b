import { PSEUDONYM_PREFIXES, pseudonymPrefixFor } from '../../../nodes/core/store/pseudonym';
import { tempSqlite, type TempSqlite } from '../../support/temp-store';
import { messageItem, NODE, runConsentStore } from './support';

const PHONE = '38640123456';

describe('pseudonym prefix: follows the service language unless set', () => {
	it('maps each language to "guest" in it, and keeps a prefix that is set', () => {
		expect(PSEUDONYM_PREFIXES).toEqual({ de: 'Gast_', sl: 'Gost_', en: 'Guest_' });
		expect(pseudonymPrefixFor('sl')).toBe('Gost_');
		expect(pseudonymPrefixFor('en', '  ')).toBe('Guest_');
		expect(pseudonymPrefixFor('sl', ' Bürger_ ')).toBe('Bürger_');
	});

	let ctx: TempSqlite;
	beforeEach(() => (ctx = tempSqlite()));
	afterEach(() => ctx.dispose());

	const joinWith = (parameters: Record<string, string>) =>
		runConsentStore(
			{ operation: 'processMessage', serviceName: 'Obvestila', ...parameters },
			[messageItem(PHONE, { text: 'Start' })],
			ctx.credential,
		);

	it.each([
		['sl', 'Gost_0001'],
		['en', 'Guest_0001'],
		['de', 'Gast_0001'],
	])(
		'Default Language %s with the prefix left empty names the subscriber %s',
		async (language, pseudonym) => {
			const run = await joinWith({ defaultLanguage: language });
			expect(run.error).toBeUndefined();
			expect(run.json(NODE, 0)).toMatchObject([{ action: 'subscribed', pseudonym }]);
		},
	);

	it('a prefix set in the node wins over the language', async () => {
		const run = await joinWith({ defaultLanguage: 'sl', pseudonymPrefix: 'Gast_' });
		expect(run.json(NODE, 0)).toMatchObject([{ pseudonym: 'Gast_0001' }]);
	});

	it('a paper sign-up in a Slovenian service gets Gost_ as well', async () => {
		const run = await runConsentStore(
			{ operation: 'subscribe', defaultLanguage: 'sl', defaultRegion: 'SI', phone: '040 123 456' },
			[{ json: {} }],
			ctx.credential,
		);
		expect(run.error).toBeUndefined();
		expect(run.json(NODE, 0)[0]).toMatchObject({ pseudonym: 'Gost_0001' });
	});

	it('the processing record names the language’s prefix', async () => {
		const run = await runConsentStore(
			{
				operation: 'processingRecord',
				defaultLanguage: 'en',
				controller: 'Town of Example',
				controllerContact: 'office@town.example',
			},
			[{ json: {} }],
			ctx.credential,
		);
		expect(run.json(NODE, 0)[0].record).toContain('Guest_0001');
	});
});
