/**
 * The n8n install prints a progress line at least every 15 s while a step runs: the step, what
 * has arrived so far, and the time elapsed (on a fake clock here).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
	countPackages,
	formatElapsed,
	PROGRESS_INTERVAL_MS,
	startProgress,
} from '../../scripts/n8n/progress';

describe('install progress', () => {
	afterEach(() => jest.useRealTimers());

	it('reports the step, its detail and the elapsed time every interval, at most 15 s apart', () => {
		jest.useFakeTimers();
		const lines: string[] = [];
		let packages = 0;
		const stop = startProgress(
			(line) => lines.push(line),
			'npm install of n8n',
			() => (packages > 0 ? `${packages} packages` : ''),
		);
		expect(PROGRESS_INTERVAL_MS).toBeLessThanOrEqual(15_000);
		jest.advanceTimersByTime(PROGRESS_INTERVAL_MS - 1);
		expect(lines).toEqual([]);
		jest.advanceTimersByTime(1);
		packages = 412;
		jest.advanceTimersByTime(PROGRESS_INTERVAL_MS * 6);
		expect(lines[0]).toBe('… npm install of n8n: 10 s elapsed');
		expect(lines[1]).toBe('… npm install of n8n: 412 packages, 20 s elapsed');
		expect(lines.at(-1)).toBe('… npm install of n8n: 412 packages, 1 min 10 s elapsed');
		expect(lines).toHaveLength(7);
		stop();
		jest.advanceTimersByTime(PROGRESS_INTERVAL_MS * 3);
		expect(lines).toHaveLength(7);
	});

	it('formats elapsed time in minutes and seconds', () => {
		expect(formatElapsed(9_999)).toBe('9 s');
		expect(formatElapsed(60_000)).toBe('1 min 0 s');
		expect(formatElapsed(605_400)).toBe('10 min 5 s');
	});

	it('counts top-level and scoped packages, not dot folders', () => {
		const dir = mkdtempSync(join(tmpdir(), 'civic-progress-'));
		try {
			expect(countPackages(join(dir, 'node_modules'))).toBe(0);
			for (const name of ['n8n', 'express', '@n8n/config', '@n8n/di', '@types/node', '.bin'])
				mkdirSync(join(dir, 'node_modules', name), { recursive: true });
			writeFileSync(join(dir, 'node_modules', '.package-lock.json'), '{}');
			expect(countPackages(join(dir, 'node_modules'))).toBe(5);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
