/**
 * When n8n exits while starting, the error quotes the lines that say why, taken from what n8n
 * printed (the lines are from n8n 2.41.1's logs, the migration error from its source).
 */
import { linesExplainingExit, OutputTail, startupFailure } from '../../scripts/n8n/startup-log';

const BOOT = [
	'Initializing n8n process',
	'n8n ready on 127.0.0.1, port 44395',
	'Migrations in progress, please do NOT stop the process.',
	'Error: getaddrinfo ENOTFOUND api.n8n.io',
	'    at GetAddrInfoReqWrap.onlookup [as oncomplete] (node:dns:112:26)',
	'[AddThreadIdToAgentCheckpoints1789717191125] Backfilled 0 checkpoint thread IDs; skipped 0 checkpoints.',
];

describe('n8n startup output', () => {
	it('keeps lines split across chunks, without colour codes, and sees the "started" line', () => {
		const tail = new OutputTail();
		tail.push('\u001b[32mn8n ready on 127.0.0.1,');
		tail.push(' port 44395\u001b[39m\nEditor is now');
		expect(tail.started).toBe(false);
		tail.push(' accessible via:\nhttp://127.0.0.1:44395');
		expect(tail.started).toBe(true);
		expect(tail.all()).toEqual([
			'n8n ready on 127.0.0.1, port 44395',
			'Editor is now accessible via:',
			'http://127.0.0.1:44395',
		]);
	});

	it('keeps only the last lines, but remembers that n8n said it started', () => {
		const tail = new OutputTail(3);
		tail.push('Editor is now accessible via:\n');
		for (let i = 0; i < 10; i++) tail.push(`line ${i}\n`);
		expect(tail.all()).toEqual(['line 7', 'line 8', 'line 9']);
		expect(tail.started).toBe(true);
	});

	it('quotes the port conflict when there is one, whatever came after it', () => {
		const lines = [
			...BOOT,
			"n8n Task Broker's port 5679 is already in use. Do you have another instance of n8n running already?",
			'Stopping n8n...',
		];
		expect(linesExplainingExit(lines)).toEqual([
			"n8n Task Broker's port 5679 is already in use. Do you have another instance of n8n running already?",
		]);
	});

	it('else quotes the last error lines, else the last lines', () => {
		const crash = [...BOOT, 'There was an error running database migrations', 'SQLITE_CORRUPT'];
		expect(linesExplainingExit(crash)).toEqual([
			'Error: getaddrinfo ENOTFOUND api.n8n.io',
			'There was an error running database migrations',
		]);
		const quiet = ['one', 'two', 'three'];
		expect(linesExplainingExit(quiet, 2)).toEqual(['two', 'three']);
	});

	it('builds an error that says how n8n ended, what we waited for, the quote and the log file', () => {
		const error = startupFailure(
			'exited with code 1',
			'/healthz/readiness',
			["n8n's port 5678 is already in use. Do you have another instance of n8n running already?"],
			'/tmp/n8n.log',
		);
		expect(error.message).toBe(
			"n8n exited with code 1 while waiting for /healthz/readiness; n8n said:\n  | n8n's port 5678 is already in use. Do you have another instance of n8n running already?\n(full log: /tmp/n8n.log)",
		);
		expect(startupFailure('exited with code 1', 'x', [], '/tmp/n8n.log').message).toBe(
			'n8n exited with code 1 while waiting for x without a word\n(full log: /tmp/n8n.log)',
		);
	});
});
