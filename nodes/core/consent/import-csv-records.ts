/** One CSV record: the line it starts on (1-based) and its cells, trimmed. */
export interface CsvRecord {
	line: number;
	cells: string[];
}

/**
 * Splits CSV text into records as RFC 4180 does: a quoted field may hold the separator, line breaks
 * (Google's and Outlook's exports put multi-line notes in one) and doubled quotes (`""` is one `"`).
 * Lenient where spreadsheets are: spaces around a quoted field, text after a one-line quoted
 * field's closing quote, line breaks `\r\n`, `\n` or a lone `\r`, blank lines skipped.
 *
 * A stray quote would swallow the lines after it under RFC 4180, up to the next quote or the end.
 * Here a quoted cell that never closes, or that spans lines and whose closing quote is followed by
 * more text (so it was a later cell's opening quote), marks only the line it opened on as broken
 * (listed in `badQuotes`), and reading resumes on the next line: one stray quote costs one contact,
 * never a silent run of the lines after it.
 *
 * Hand-written, not a library: csv-parse (7.0.3) tells the line a record ends on and papaparse
 * (5.7.1) none, and on a broken quote both either stop or lose the records after it.
 */
export function readCsvRecords(
	text: string,
	separator: string,
): { records: CsvRecord[]; badQuotes: number[] } {
	const records: CsvRecord[] = [];
	const badQuotes: number[] = [];
	let at = 0;
	let line = 1;
	while (at < text.length) {
		const record = readRecord(text, at, separator);
		if (!record) {
			badQuotes.push(line);
			at = nextLineStart(text, at);
			line += 1;
			continue;
		}
		if (!record.blank) records.push({ line, cells: record.cells.map((c) => c.trim()) });
		at = record.end;
		line += record.lineBreaks;
	}
	return { records, badQuotes };
}

interface RawRecord {
	cells: string[];
	/** Index just after the record's closing line break (or the text's end). */
	end: number;
	/** Line breaks consumed, those inside quoted cells included. */
	lineBreaks: number;
	/** Nothing but spaces or tabs on the line. */
	blank: boolean;
}

/** The record starting at `start`, or undefined when one of its quoted cells is broken (see above). */
function readRecord(text: string, start: number, separator: string): RawRecord | undefined {
	const cells: string[] = [];
	let cell = '';
	let quoted = false;
	let blank = true;
	let lineBreaks = 0;
	let cellBreaks = 0;
	let i = start;
	while (i < text.length) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') {
				cell += '"';
				i += 2;
				continue;
			}
			if (c === '"') {
				if (cellBreaks > 0 && !endsCell(text, i + 1, separator)) return undefined;
				quoted = false;
			} else {
				if (isLineBreak(text, i)) {
					lineBreaks += 1;
					cellBreaks += 1;
				}
				cell += c;
			}
			i += 1;
			continue;
		}
		if (c === '\r' || c === '\n') {
			i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
			lineBreaks += 1;
			break;
		}
		if (c.trim() !== '') blank = false;
		// A quote opens a quoted cell only at the cell's start; elsewhere (`5" Display`) it is text.
		if (c === '"' && cell.trim() === '') {
			quoted = true;
			cell = '';
			cellBreaks = 0;
		} else if (c === separator) {
			cells.push(cell);
			cell = '';
		} else cell += c;
		i += 1;
	}
	if (quoted) return undefined;
	cells.push(cell);
	return { cells, end: i, lineBreaks, blank };
}

/** True at a character that ends a line: `\n`, or `\r` not followed by `\n`. */
function isLineBreak(text: string, i: number): boolean {
	return text[i] === '\n' || (text[i] === '\r' && text[i + 1] !== '\n');
}

/** After a closing quote only spaces may come before the separator or the line's end. */
function endsCell(text: string, from: number, separator: string): boolean {
	for (let i = from; i < text.length; i++) {
		const c = text[i];
		if (c === separator || c === '\r' || c === '\n') return true;
		if (c !== ' ' && c !== '\t') return false;
	}
	return true;
}

function nextLineStart(text: string, from: number): number {
	for (let i = from; i < text.length; i++) if (isLineBreak(text, i)) return i + 1;
	return text.length;
}
