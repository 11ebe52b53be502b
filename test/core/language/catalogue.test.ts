import {
	KeywordParser,
	processMessage,
	replyTexts,
	type InboundMessage,
	type ProcessOptions,
} from '../../../nodes/core/consent';
import { ConfigError } from '../../../nodes/core/errors';
import {
	BUILT_IN_LANGUAGES,
	CATALOGUE,
	languageCatalogue,
	type Language,
	type LanguageEntry,
} from '../../../nodes/core/language';
import { sealSender } from '../../../nodes/core/privacy/sealer';
import type { Store } from '../../../nodes/core/store';
import { pseudonymPrefixFor } from '../../../nodes/core/store/pseudonym';
import { tempSqlite, type TempSqlite } from '../../support/temp-store';
import { testKeys as keys } from '../../support/test-key';

/** A language the service does not speak: what adding one takes is this one entry. */
const TESTISH: LanguageEntry = {
	code: 'xx',
	label: 'Testish',
	locale: 'fr-FR',
	templateLanguage: 'xx_XX',
	pseudonymPrefix: 'Testo_',
	keywords: {
		join: ['enrolo'],
		leave: ['eliro', 'forigu min'],
		info: ['datumoj'],
		help: ['helpo'],
	},
	replies: {
		subscribed: 'XX bonvenon {pseudonym} ĉe {service}',
		alreadySubscribed: 'XX jam {pseudonym}',
		unsubscribed: 'XX adiaŭ',
		notSubscribed: 'XX ne abonita',
		info: 'XX {pseudonym} ekde {since} per {keyword}',
		infoNotSubscribed: 'XX nenio konservita',
		help: 'XX helpo de {service}',
	},
	importHeaders: { phone: ['telefono'], name: ['nomo'], language: ['lingvo'] },
};
/** The `Language` type lists the built-in codes; a catalogue built at run time may hold more. */
const XX = 'xx' as Language;

const catalogue = languageCatalogue([...BUILT_IN_LANGUAGES, TESTISH]);
const PHONE = '4915112345678';

function message(text: string): InboundMessage {
	return {
		sender: sealSender(keys, { phone: PHONE }),
		time: '2026-11-20T09:30:00.000Z',
		type: 'text',
		text,
	};
}

describe('one language catalogue: a new language is one entry', () => {
	let db: TempSqlite;
	let store: Store;
	const options: ProcessOptions = {
		parser: new KeywordParser([], catalogue),
		texts: replyTexts([], catalogue),
		languages: catalogue,
		defaultLanguage: 'de',
		textVersion: 'v1',
		serviceName: 'Testburg',
		timeZone: 'Europe/Berlin',
	};
	beforeEach(async () => {
		db = tempSqlite();
		store = await db.open({
			languages: catalogue,
			pseudonymPrefix: pseudonymPrefixFor(XX, '', catalogue),
		});
	});
	afterEach(() => db.dispose());

	it('its keywords join, inform and leave, answered with its own replies and date format', async () => {
		const joined = await processMessage(store, keys, message('Enrolo!'), options);
		expect(joined).toMatchObject({
			route: 'subscribed',
			language: XX,
			keyword: 'enrolo',
			pseudonym: 'Testo_0001',
			replyText: 'XX bonvenon Testo_0001 ĉe Testburg',
		});
		const info = await processMessage(store, keys, message('DATUMOJ'), options);
		expect(info.replyText).toBe('XX Testo_0001 ekde 20 novembre 2026 per enrolo');
		const help = await processMessage(store, keys, message('helpo'), options);
		expect(help.replyText).toBe('XX helpo de Testburg');
		const left = await processMessage(store, keys, message('Forigu  min.'), options);
		expect(left).toMatchObject({ route: 'unsubscribed', language: XX, replyText: 'XX adiaŭ' });
	});

	it('its subscribers are counted in the statistics, every other language still listed', async () => {
		await processMessage(store, keys, message('enrolo'), options);
		const stats = await store.statistics({ days: 1, now: new Date('2026-11-20T12:00:00Z') });
		expect(stats.byLanguage).toEqual({ de: 0, sl: 0, en: 0, xx: 1 });
		expect(stats.subscribers).toBe(1);
	});

	it('its replies can be configured; an unknown language is still refused', () => {
		const texts = replyTexts([{ language: XX, kind: 'help', text: 'XX alia' }], catalogue);
		expect(texts[XX].help).toBe('XX alia');
		expect(texts[XX].info).toBe(TESTISH.replies.info);
		expect(() =>
			replyTexts([{ language: 'yy' as Language, kind: 'help', text: 'x' }], catalogue),
		).toThrow('unknown language: use de, sl, en, xx');
	});

	it('appears in the editor’s language options, sorted by name', () => {
		expect(catalogue.options().map((o) => o.name)).toEqual([
			'English',
			'German',
			'Slovenian',
			'Testish',
		]);
	});

	it('the service’s own catalogue does not know it', () => {
		expect(CATALOGUE.has('xx')).toBe(false);
		expect(new KeywordParser().parse('enrolo')).toBeUndefined();
	});
});

describe('the catalogue checks its entries', () => {
	it.each([
		[{ ...TESTISH, code: 'Testish' }, /not an ISO 639 code/],
		[{ ...TESTISH, code: 'de' }, /"de" is in the catalogue twice/],
		[
			{ ...TESTISH, keywords: { ...TESTISH.keywords, join: ['Enrolo!'] } },
			/Keyword "Enrolo!" \(xx\) is not in normalised form: write "enrolo"/,
		],
		[{ ...TESTISH, replies: { ...TESTISH.replies, help: ' ' } }, /no reply text for "help"/],
	])('%#', (entry, message) => {
		expect(() => languageCatalogue([...BUILT_IN_LANGUAGES, entry])).toThrow(ConfigError);
		expect(() => languageCatalogue([...BUILT_IN_LANGUAGES, entry])).toThrow(message);
	});
});
