/**
 * Why this file is long: CSV and vCard are one import feature; their cases share fixtures
 * and the checks against a real store at the end.
 */
import fc from 'fast-check';
import {
	importContacts,
	parseCsvContacts,
	parseVcardContacts,
	validateContacts,
	type ImportOptions,
} from '../../../nodes/core/consent';
import { readCsvRecords } from '../../../nodes/core/consent/import-csv-records';
import { InputError } from '../../../nodes/core/errors';
import { findPhoneLeaks } from '../../support/privacy';
import { storePerTest } from '../../support/temp-store';

const options: ImportOptions = {
	format: 'auto',
	defaultRegion: 'DE',
	language: 'de',
	textVersion: 'v1',
	onInvalid: 'abort',
};

describe('CSV parsing', () => {
	it('reads a header in any of the languages, with ; , or tab, quotes and a BOM', () => {
		const csv =
			'\uFEFFName;Telefon;Sprache\nGast_0001;0151 1234 5678;de\n"Gast_0002";"+386 40 123 456";SL\n\n';
		expect(parseCsvContacts(csv).contacts).toEqual([
			{ line: 2, name: 'Gast_0001', phone: '0151 1234 5678', language: 'de' },
			{ line: 3, name: 'Gast_0002', phone: '+386 40 123 456', language: 'SL' },
		]);
		const google = 'Name,Given Name,Phone 1 - Value\n"Müller, Max",Max,+43 664 1234567';
		expect(parseCsvContacts(google).contacts).toEqual([
			{ line: 2, name: 'Müller, Max', phone: '+43 664 1234567', language: undefined },
		]);
		expect(
			parseCsvContacts('ime\ttelefonska številka\nGost_0003\t040 123 456').contacts[0],
		).toMatchObject({
			name: 'Gost_0003',
			phone: '040 123 456',
		});
	});

	it('reads lists without a header: the cell that looks like a number is the number', () => {
		expect(parseCsvContacts('+49 151 12345678\nGast_0009, 0151/2345678').contacts).toEqual([
			{ line: 1, phone: '+49 151 12345678', name: undefined },
			{ line: 2, phone: ' 0151/2345678'.trim(), name: 'Gast_0009' },
		]);
	});

	it('keeps line breaks and quotes inside quoted cells (RFC 4180), numbering records by their first line', () => {
		// Google's export: a multi-line note whose second line is a number, then quoted quotes.
		const csv = [
			'Name,Notes,Phone 1 - Value',
			'Gast_0001,"Nachbarin,',
			'0151 9999999 nur abends",+49 151 1111111',
			'"Gast_""0002""","",+49 151 2222222',
			'"Gast_0003","Zeile 1\r\nZeile 2\rZeile 3\n\nZeile 5",+49 151 3333333',
			'Gast_0004,,+49 151 4444444',
		].join('\r\n');
		const { contacts, problems } = parseCsvContacts(csv);
		expect(problems).toEqual([]);
		expect(contacts).toEqual([
			{ line: 2, name: 'Gast_0001', phone: '+49 151 1111111', language: undefined },
			{ line: 4, name: 'Gast_"0002"', phone: '+49 151 2222222', language: undefined },
			{ line: 5, name: 'Gast_0003', phone: '+49 151 3333333', language: undefined },
			{ line: 10, name: 'Gast_0004', phone: '+49 151 4444444', language: undefined },
		]);
		// Without a header too: the number on the note's second line is no contact of its own.
		expect(parseCsvContacts('Gast_0005;"Notiz\n0151 9999999";0151 5555555\n').contacts).toEqual([
			{ line: 1, name: 'Gast_0005', phone: '0151 5555555' },
		]);
	});

	it('reports a quote that never closes on its line and reads the lines after it', () => {
		expect(parseCsvContacts('phone\n"0151 1234567\n01511234568')).toEqual({
			problems: [{ line: 2, reason: 'unbalanced quotes' }],
			contacts: [{ line: 3, phone: '01511234568', name: undefined, language: undefined }],
		});
		// A quote inside a cell is text; a closed quoted cell may span lines before a stray one.
		expect(
			parseCsvContacts('name;phone\n5" Display;0151 1\n"a\nb";0151 2\n"x;0151 3\ny;0151 4'),
		).toEqual({
			problems: [{ line: 5, reason: 'unbalanced quotes' }],
			contacts: [
				{ line: 2, name: '5" Display', phone: '0151 1', language: undefined },
				{ line: 3, name: 'a\nb', phone: '0151 2', language: undefined },
				{ line: 6, name: 'y', phone: '0151 4', language: undefined },
			],
		});
	});

	it('does not let a stray quote pair with a later quoted cell and swallow the lines between', () => {
		const csv = 'name;phone\n"Gast_0001;0151 1\nGast_0002;0151 2\n"Gast_0003";0151 3\n';
		expect(parseCsvContacts(csv)).toEqual({
			problems: [{ line: 2, reason: 'unbalanced quotes' }],
			contacts: [
				{ line: 3, name: 'Gast_0002', phone: '0151 2', language: undefined },
				{ line: 4, name: 'Gast_0003', phone: '0151 3', language: undefined },
			],
		});
	});

	it('reads back any cells written as RFC 4180 quoted fields, with the line each record starts on', () => {
		const cell = fc
			.array(fc.constantFrom('a', 'Ž', '1', ' ', ';', ',', '"', '""', '\n', '\r\n', '\r'), {
				maxLength: 8,
			})
			.map((parts) => parts.join(''));
		const quote = (text: string) => `"${text.replaceAll('"', '""')}"`;
		const breaks = (text: string) => text.split(/\r\n|\n|\r/).length - 1;
		fc.assert(
			fc.property(
				fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { maxLength: 6 }),
				(rows) => {
					const csv = rows.map((cells) => cells.map(quote).join(';')).join('\r\n');
					let line = 1;
					const expected = rows.map((cells) => {
						const record = { line, cells: cells.map((c) => c.trim()) };
						line += cells.reduce((n, c) => n + breaks(c), 0) + 1;
						return record;
					});
					expect(readCsvRecords(csv, ';')).toEqual({ records: expected, badQuotes: [] });
				},
			),
		);
	});

	it('refuses an empty list', () => {
		expect(() => parseCsvContacts('\n \n')).toThrow(InputError);
	});
});

describe('vCard parsing', () => {
	const vcf = [
		'BEGIN:VCARD',
		'VERSION:3.0',
		'FN:Gast_0004',
		'TEL;TYPE=HOME:+49 30 1234567',
		'TEL;TYPE=CELL:+49 151 ',
		' 99887766',
		'END:VCARD',
		'BEGIN:VCARD',
		'VERSION:2.1',
		'N:Muster;Erika;;;',
		'item1.TEL:tel:+386-40-111-222',
		'END:VCARD',
		'BEGIN:VCARD',
		'FN:Nobody',
		'END:VCARD',
	].join('\r\n');

	it('takes the mobile number (unfolded) and the name of each card, reporting cards without one', () => {
		const { contacts, problems } = parseVcardContacts(vcf);
		expect(contacts).toEqual([
			{ line: 5, phone: '+49 151 99887766', name: 'Gast_0004' },
			{ line: 11, phone: '+386-40-111-222', name: 'Erika Muster' },
		]);
		expect(problems).toEqual([{ line: 13, reason: 'contact without a telephone number' }]);
	});

	it('decodes vCard 2.1 quoted-printable names, across soft line breaks and in UTF-8 or Latin-1', () => {
		const card = (...lines: string[]) =>
			['BEGIN:VCARD', 'VERSION:2.1', ...lines, 'TEL;CELL:+49 151 12345678', 'END:VCARD'].join(
				'\r\n',
			);
		const name = (text: string) => parseVcardContacts(text).contacts[0].name;
		expect(name(card('FN;ENCODING=QUOTED-PRINTABLE:=47=61=73=74=5F=30=30=30=37'))).toBe(
			'Gast_0007',
		);
		// Android's export: N and FN both encoded, long values broken with `=` at the line's end.
		expect(
			name(
				card(
					'N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C5=BD=75=70=61=6E;=C5=BD=69=67=61;;;',
					'FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C5=BD=69=67=61=20=C5=BD=75=70=61=',
					'=6E=C4=8D=69=C4=8D',
				),
			),
		).toBe('Žiga Župančič');
		// A soft break may fall between the two bytes of one UTF-8 character, and may repeat.
		expect(name(card('FN;CHARSET=UTF-8;QUOTED-PRINTABLE:Gost_=C5=', '=BD=', '0042'))).toBe(
			'Gost_Ž0042',
		);
		expect(name(card('N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C5=BD=75=70=61=6E;Ana'))).toBe(
			'Ana Župan',
		);
		expect(name(card('FN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:M=FCller =3D 1'))).toBe(
			'Müller = 1',
		);
		// An `=` that starts no escape is text; a value not marked quoted-printable is taken as written.
		expect(name(card('FN;ENCODING=QUOTED-PRINTABLE:a=zb=4'))).toBe('a=zb=4');
		expect(name(card('FN:=47=61'))).toBe('=47=61');
		// The TEL after the encoded name is still read on its own line.
		expect(parseVcardContacts(card('FN;QUOTED-PRINTABLE:=47=', '=61')).contacts).toEqual([
			{ line: 5, phone: '+49 151 12345678', name: 'Ga' },
		]);
	});

	it('unfolds vCard 3 and 4 lines, a name folded mid-word included', () => {
		const vcf =
			'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Gast_\r\n 0008\r\nTEL;TYPE=cell:+49 151\r\n\t 87654321\r\nEND:VCARD\r\n';
		expect(parseVcardContacts(vcf).contacts).toEqual([
			{ line: 5, phone: '+49 151 87654321', name: 'Gast_0008' },
		]);
	});

	it('reports a card that never ends and refuses text without cards', () => {
		expect(parseVcardContacts('BEGIN:VCARD\nTEL:+4915112345678\n').problems).toEqual([
			{ line: 1, reason: 'vCard without END:VCARD' },
		]);
		expect(() => parseVcardContacts('hello')).toThrow(/No vCard found/);
	});
});

describe('validation', () => {
	it('normalises numbers with the default region, keeps only pseudonym-like names, reports bad lines without the number', () => {
		const { entries, problems, duplicates } = validateContacts(
			[
				{ line: 2, phone: '0151 1234 5678', name: 'Gast_0001' },
				{ line: 3, phone: '+49 (151) 12345678', name: 'Gast_0099' },
				{ line: 4, phone: '040 123 456', name: 'Max Mustermann', language: 'sl' },
				{ line: 5, phone: '12', name: 'Gast_0002' },
				{ line: 6, phone: '', name: 'Gast_0003' },
				{ line: 7, phone: '+43 664 1234567', name: 'Gast_0001' },
				{ line: 8, phone: '+43 664 7654321', language: 'fr' },
			],
			'DE',
		);
		expect(entries).toEqual([
			{ line: 2, phone: '4915112345678', pseudonym: 'Gast_0001', language: undefined },
			{ line: 4, phone: '4940123456', pseudonym: undefined, language: 'sl' },
		]);
		expect(duplicates).toBe(1);
		expect(problems).toEqual([
			{ line: 5, reason: expect.stringMatching(/phone number/) },
			{ line: 6, reason: 'no phone number' },
			{ line: 7, reason: 'the pseudonym "Gast_0001" is also used on line 2 for another number' },
			{ line: 8, reason: 'unknown language "fr": use de, sl, en or leave it empty' },
		]);
		expect(findPhoneLeaks(JSON.stringify(problems), ['436641234567', '436647654321'])).toEqual([]);
		expect(JSON.stringify(problems)).not.toContain('12"');
	});
});

describe('importContacts (real SQLite store)', () => {
	const each = storePerTest();

	const good =
		'Name;Nummer\nGast_0001;0151 11111111\nGast_0002;0151 22222222\nAnna;0151 33333333\n';

	it('imports the list keeping Gast_ names, gives others the next pseudonym, and is idempotent', async () => {
		const first = await importContacts(each.store, good, options);
		expect(first).toEqual({
			imported: 3,
			alreadySubscribed: 0,
			duplicatesInFile: 0,
			invalid: [],
			pseudonyms: ['Gast_0001', 'Gast_0002', 'Gast_0003'],
		});
		const again = await importContacts(each.store, good, options);
		expect(again).toMatchObject({ imported: 0, alreadySubscribed: 3 });
		expect(await each.store.findByPseudonym('Gast_0003')).toMatchObject({
			consentSource: 'import',
			language: 'de',
		});
	});

	it('with a bad line imports nothing and names the lines (no number in the message)', async () => {
		const bad = `${good}Gast_0004;0151 4\nGast_0005;\n`;
		const attempt = importContacts(each.store, bad, options);
		await expect(attempt).rejects.toThrow(
			/^2 lines cannot be imported \(line 5: The phone number is too short; line 6: no phone number\)\. Nothing was imported/,
		);
		expect(await each.store.countSubscribers()).toBe(0);
	});

	it('can skip bad lines instead and report them', async () => {
		const bad = `${good}Gast_0004;0151 4\n`;
		const summary = await importContacts(each.store, bad, { ...options, onInvalid: 'skip' });
		expect(summary).toMatchObject({ imported: 3, invalid: [{ line: 5 }] });
	});

	it('writes nothing when a kept pseudonym belongs to someone else already, and names the line', async () => {
		await each.store.subscribe({
			identity: { phone: '4917099999999' },
			language: 'de',
			source: 'whatsapp',
			textVersion: 'v1',
		});
		await expect(importContacts(each.store, good, options)).rejects.toThrow(
			'Line 2: The pseudonym "Gast_0001" already belongs to another subscriber: rename it or leave the name empty to get the next free pseudonym. Nothing was imported.',
		);
		expect(await each.store.countSubscribers()).toBe(1);
	});

	it('imports vCards detected automatically', async () => {
		const vcf = 'BEGIN:VCARD\nFN:Gast_0042\nTEL:+386 40 123 456\nEND:VCARD\n';
		const summary = await importContacts(each.store, vcf, { ...options, language: 'sl' });
		expect(summary.pseudonyms).toEqual(['Gast_0042']);
		expect((await each.store.findByIdentity({ phone: '38640123456' }))?.language).toBe('sl');
	});

	it("keeps a quoted-printable vCard 2.1 pseudonym, and a CSV note's second line is nobody", async () => {
		const vcf = [
			'BEGIN:VCARD',
			'VERSION:2.1',
			'FN;ENCODING=QUOTED-PRINTABLE:=47=61=73=74=5F=30=30=30=37',
			'TEL;CELL:+49 151 70000007',
			'END:VCARD',
		].join('\r\n');
		expect((await importContacts(each.store, vcf, options)).pseudonyms).toEqual(['Gast_0007']);
		const csv = 'Name;Notiz;Telefon\nGast_0010;"ruft an von\n0151 99999999";0151 10101010\n';
		const summary = await importContacts(each.store, csv, options);
		expect(summary).toMatchObject({ imported: 1, invalid: [], pseudonyms: ['Gast_0010'] });
		expect(await each.store.findByIdentity({ phone: '4915199999999' })).toBeUndefined();
		expect(await each.store.countSubscribers()).toBe(2);
	});

	it('refuses an empty import', async () => {
		await expect(importContacts(each.store, '  ', options)).rejects.toThrow(/The import is empty/);
	});
});
