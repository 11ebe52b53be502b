/** One CSV record: the line it starts on (1-based) and its cells, trimmed. */
export interface CsvRecord {
	line: number;
	cells: string[];
}

/**
 * Splits CSV text into records as RFC 4180 does: a quoted field may hold the separator, line breaks
 * (Google's and Outlook's exports put multi-line notes in one) and doubled quotes (`""` is one `"`).
 * Lenient where spreadsheets are: spaces around a quoted field, text after its closing quote, line
 * breaks `\r\n`, `\n` or a lone `\r`, blank lines skipped.
 *
 * A quote that never closes would swallow the rest of the file under RFC 4180; here it marks only
 * the line it opened on as broken (listed in `unclosed`) and reading resumes on the next line, so
 * one stray quote costs one contact, not all that follow it.
 *
 * Hand-written, not a library: csv-parse (7.0.3) tells the line a record ends on and papaparse
 * (5.7.1) none, and on a broken quote both either stop or lose the records after it.
 */
export function readCsvRecords(
	text: string,
	separator: string,
): { records: CsvRecord[]; unclosed: number[] } {
	const records: CsvRecord[] = [];
	const unclosed: number[] = [];
	let at = 0;
	let line = 1;
	while (at < text.length) {
		const record = readRecord(text, at, separator);
		if (!record) {
			unclosed.push(line);
			at = nextLineStart(text, at);
			line += 1;
			continue;
		}
		if (!record.blank) records.push({ line, cells: record.cells.map((c) => c.trim()) });
		at = record.end;
		line += record.lineBreaks;
	}
	return { records, unclosed };
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

/** The record starting at `start`, or undefined when a quoted cell is still open at the end. */
function readRecord(text: string, start: number, separator: string): RawRecord | undefined {
	const cells: string[] = [];
	let cell = '';
	let quoted = false;
	let blank = true;
	let lineBreaks = 0;
	let i = start;
	while (i < text.length) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') {
				cell += '"';
				i += 2;
				continue;
			}
			if (c === '"') quoted = false;
			else {
				if (isLineBreak(text, i)) lineBreaks += 1;
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

function nextLineStart(text: string, from: number): number {
	for (let i = from; i < text.length; i++) if (isLineBreak(text, i)) return i + 1;
	return text.length;
}
