import {
	decodeEntities,
	sanitizeParameter,
	stripHtml,
	truncate,
} from '../../../nodes/core/broadcast';

describe('parameter sanitising', () => {
	const clean = (value: unknown, maxLength = 200) => sanitizeParameter(value, { maxLength });

	it('strips HTML (keeping link text) and decodes entities', () => {
		expect(clean('<p>Neue <a href="https://x.example">Öffnungszeiten</a> &amp; Termine</p>')).toBe(
			'Neue Öffnungszeiten & Termine',
		);
		expect(clean('Caf&eacute; &#8211; &#x1F6B0; &quot;Q&quot; &unknown;')).toBe(
			'Café – 🚰 "Q" &unknown;',
		);
		expect(stripHtml('a<script>alert(1)</script>b<style>x{}</style>c')).toBe('a b c');
		expect(decodeEntities('&lt;b&gt;')).toBe('<b>');
	});

	it('decodes every HTML5 entity once, keeping unknown names as written', () => {
		expect(
			decodeEntities('&Eacute;cole &bull; &Zcaron;upanija &hearts; &frac12; &NotEqualTilde;'),
		).toBe('École • Županija ♥ ½ ≂̸');
		expect(decodeEntities('&#8222;Hallo&#8220; &#x17D; &#X1f6b0;')).toBe('„Hallo“ Ž 🚰');
		// Double-encoded text decodes one level only: the feed meant the characters `&amp;`.
		expect(decodeEntities('Tom &amp;amp; Jerry &amp;lt;')).toBe('Tom &amp; Jerry &lt;');
		expect(decodeEntities('&unknown; &Eacute &;')).toBe('&unknown; &Eacute &;');
		// A raw URL's parameters are no entities, though `&sect` and `&copy` are names a browser knows.
		expect(decodeEntities('https://x.example/?id=1&sect=2&copy=3')).toBe(
			'https://x.example/?id=1&sect=2&copy=3',
		);
	});

	it('drops soft hyphens and zero-width spaces but keeps the joiners emoji need', () => {
		expect(clean('Stra&szlig;en&shy;sperrung in der Haupt&#173;stra&szlig;e')).toBe(
			'Straßensperrung in der Hauptstraße',
		);
		expect(clean('a\u200bb&ZeroWidthSpace;c&NoBreak;d\ufeffe')).toBe('abcde');
		const family = '\u{1F468}\u200d\u{1F469}\u200d\u{1F467}';
		expect(clean(`Familie ${family} &zwj;`)).toBe(`Familie ${family} \u200d`);
		expect(clean('&shy;'.repeat(10) + 'x', 3)).toBe('x');
	});

	it('treats no-break and other Unicode spaces as spaces under the four-space limit', () => {
		expect(clean('a&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;b&thinsp;c\u202fd')).toBe('a    b c d');
	});

	it('removes newlines and tabs and allows at most four consecutive spaces', () => {
		const out = clean('Zeile 1\nZeile 2\r\n\tEnde        mit      Abstand');
		expect(out).not.toMatch(/[\n\r\t]/);
		expect(out).not.toMatch(/ {5}/);
		expect(out).toBe('Zeile 1 Zeile 2 Ende    mit    Abstand');
		expect(clean('a<br>b<br/>c')).toBe('a b c');
	});

	it('shortens long text with an ellipsis within the limit', () => {
		const long = 'Wort '.repeat(100);
		const out = clean(long, 50);
		expect(Array.from(out).length).toBeLessThanOrEqual(50);
		expect(out.endsWith('…')).toBe(true);
		expect(out).toMatch(/^(Wort )+Wort…$/);
	});

	it('never cuts a URL in half: it drops the whole URL instead', () => {
		const text =
			'Alle Details zur Sperre finden Sie unter https://gemeinde.example/aktuelles/2026/strassensperre-hauptstrasse';
		const out = truncate(text, 60);
		expect(out).toBe('Alle Details zur Sperre finden Sie unter…');
		const fits = clean('Mehr: https://gemeinde.example/a?x=1&amp;y=2', 100);
		expect(fits).toBe('Mehr: https://gemeinde.example/a?x=1&y=2');
	});

	it('counts emoji as one character and handles empty values', () => {
		expect(truncate('🚰🚰🚰🚰', 3)).toBe('🚰🚰…');
		expect(clean(undefined)).toBe('');
		expect(clean(42)).toBe('42');
	});
});
