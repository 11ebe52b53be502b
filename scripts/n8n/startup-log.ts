/**
 * What n8n printed while starting, kept in memory next to its log file, so that when it exits
 * before it is up the error can quote the line that says why ("port 5679 is already in use")
 * instead of pointing at a file.
 */

/** n8n 2.41.1's last startup line: every module, the task runner and the server are up. */
export const STARTED_LINE = 'Editor is now accessible via';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

export class OutputTail {
	private readonly lines: string[] = [];
	private partial = '';
	private seenStarted = false;

	constructor(private readonly limit = 300) {}

	push(chunk: Buffer | string): void {
		const text = this.partial + chunk.toString();
		const parts = text.split('\n');
		this.partial = parts.pop() ?? '';
		for (const part of parts) this.add(part);
	}

	/** Whether n8n has printed that it finished starting. */
	get started(): boolean {
		return this.seenStarted || this.partial.includes(STARTED_LINE);
	}

	/** The kept lines, the unfinished last one included, without colour codes. */
	all(): string[] {
		return this.partial ? [...this.lines, this.partial.replace(ANSI, '')] : [...this.lines];
	}

	private add(raw: string): void {
		const line = raw.replace(ANSI, '').trimEnd();
		if (line.includes(STARTED_LINE)) this.seenStarted = true;
		if (!line.trim()) return;
		this.lines.push(line);
		if (this.lines.length > this.limit) this.lines.shift();
	}
}

/** A port conflict says it all; otherwise the last lines that look like errors, else the last lines. */
const PORT_CONFLICT = /already in use|EADDRINUSE/i;
const TROUBLE =
	/\berror\b|exception|fatal|failed|cannot|could not|not have permission|exiting|timed out/i;

export function linesExplainingExit(lines: readonly string[], max = 8): string[] {
	const text = lines.map((line) => line.trim()).filter(Boolean);
	const conflict = text.filter((line) => PORT_CONFLICT.test(line));
	if (conflict.length > 0) return conflict.slice(-max);
	const trouble = text.filter((line) => TROUBLE.test(line));
	return (trouble.length > 0 ? trouble : text).slice(-max);
}

export function startupFailure(
	how: string,
	waitingFor: string,
	lines: readonly string[],
	logFile: string,
): Error {
	const quoted = linesExplainingExit(lines).map((line) => `  | ${line}`);
	const said = quoted.length > 0 ? `; n8n said:\n${quoted.join('\n')}` : ' without a word';
	return new Error(`n8n ${how} while waiting for ${waitingFor}${said}\n(full log: ${logFile})`);
}
