import { ConfigError } from '../../../nodes/core/errors';
import { KeywordParser, normalizeKeyword } from '../../../nodes/core/consent';

const parser = new KeywordParser();

describe('keyword parser', () => {
	it.each([
		// the list, every keyword
		['start', 'join', undefined],
		['anmelden', 'join', 'de'],
		['prijava', 'join', 'sl'],
		['join', 'join', 'en'],
		['subscribe', 'join', 'en'],
		['stop', 'leave', undefined],
		['stopp', 'leave', 'de'],
		['abmelden', 'leave', 'de'],
		['odjava', 'leave', 'sl'],
		['unsubscribe', 'leave', 'en'],
		['cancel', 'leave', 'en'],
		['end', 'leave', 'en'],
		['quit', 'leave', 'en'],
		['löschen', 'leave', 'de'],
		['loeschen', 'leave', 'de'],
		['info', 'info', undefined],
		['daten', 'info', 'de'],
		['podatki', 'info', 'sl'],
		['hilfe', 'help', 'de'],
		['help', 'help', 'en'],
		['pomoč', 'help', 'sl'],
		// the examples of normalisation
		['Start!', 'join', undefined],
		[' STOPP 👋', 'leave', 'de'],
		['ODJAVA.', 'leave', 'sl'],
		['«Prijava»', 'join', 'sl'],
		['LÖSCHEN!!!', 'leave', 'de'],
		['Pomoc?', 'help', 'sl'],
		['🙂 start 🙂', 'join', undefined],
		['Meine   Daten', 'info', 'de'],
		['start\n', 'join', undefined],
	])('%j → %s (%s)', (text, action, language) => {
		expect(parser.parse(text)).toMatchObject({ action, language });
	});

	it.each([
		'Start of the fair?',
		'Wann ist der Start?',
		'stop the noise',
		'please unsubscribe me',
		'startup',
		'',
		'   ',
		'👋',
		'yes',
	])('%j is not a keyword', (text) => {
		expect(parser.parse(text)).toBeUndefined();
	});

	it('ignores missing text', () => {
		expect(parser.parse(undefined)).toBeUndefined();
		expect(parser.parse(null)).toBeUndefined();
	});

	it('keeps the normalised keyword as proof', () => {
		expect(parser.parse(' Löschen! ')?.keyword).toBe('loschen');
		expect(normalizeKeyword('  Pomoč!! ')).toBe('pomoc');
		expect(normalizeKeyword('Straße')).toBe('strasse');
	});

	it('takes configured extra keywords, which may re-assign a built-in one', () => {
		const custom = new KeywordParser([
			{ keyword: 'Abo!', action: 'join', language: 'de' },
			{ keyword: 'Naročnina', action: 'join', language: 'sl' },
			{ keyword: 'end', action: 'help' },
		]);
		expect(custom.parse('abo')).toMatchObject({ action: 'join', language: 'de', keyword: 'abo' });
		expect(custom.parse('NAROCNINA')).toMatchObject({ action: 'join', language: 'sl' });
		expect(custom.parse('End')).toMatchObject({ action: 'help', language: undefined });
		expect(parser.parse('abo')).toBeUndefined();
	});

	it('refuses broken extra keywords with a message naming the row', () => {
		expect(() => new KeywordParser([{ keyword: ' !! ', action: 'join' }])).toThrow(
			new ConfigError('Extra keyword 1 is empty: enter a word or remove the row'),
		);
		expect(() => new KeywordParser([{ keyword: 'x', action: 'dance' as never }])).toThrow(
			/unknown action: use join, leave, info, help/,
		);
		expect(
			() => new KeywordParser([{ keyword: 'x', action: 'join', language: 'fr' as never }]),
		).toThrow(/unknown language: use de, sl, en/);
	});
});
