/**
 * What the broadcast benchmarks share: the simulator in a process of its own (so the figures
 * measure our sender, and RSS is ours alone), subscribers seeded by another process, and a full
 * garbage collection before memory is read.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export const ROOT = path.resolve(__dirname, '..');
export const TOKEN = 'bench-token';
export const PHONE_ID = '100000000000001';

export interface SimProcess {
	baseUrl: string;
	child: ChildProcess;
	/** SIGTERM, resolved once the process has exited. */
	stop(): Promise<void>;
}

export async function startSimProcess(rate: number, latencyMs: number): Promise<SimProcess> {
	const child = spawn(
		process.execPath,
		[
			'--import',
			'tsx',
			'simulator/cli.ts',
			'--port',
			'0',
			'--rate',
			String(rate),
			'--latency',
			String(latencyMs),
			'--token',
			TOKEN,
			'--phone-number-id',
			PHONE_ID,
		],
		{ cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
	);
	const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
	const baseUrl = await new Promise<string>((resolve, reject) => {
		let out = '';
		child.stdout?.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			const match = /listening on (http:\/\/\S+)/.exec(out);
			if (match) resolve(match[1]);
		});
		child.on('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
	});
	// The simulator's pair-rate window is irrelevant here (one message per person) but costs memory.
	await post(`${baseUrl}/_sim/configure`, { pairRate: false, record: 'counts' });
	return {
		baseUrl,
		child,
		stop: async () => {
			child.kill('SIGTERM');
			await exited;
		},
	};
}

export async function post(url: string, body: unknown): Promise<unknown> {
	const response = await fetch(url, {
		method: 'POST',
		body: JSON.stringify(body),
		headers: { 'content-type': 'application/json' },
	});
	return response.json();
}

export async function counters(
	baseUrl: string,
): Promise<{ accepted: number; errors: Record<string, number> }> {
	return (await (await fetch(`${baseUrl}/_sim/counters`)).json()) as {
		accepted: number;
		errors: Record<string, number>;
	};
}

/** When each message the simulator accepted arrived there (ms, its clock). */
export async function arrivals(baseUrl: string): Promise<number[]> {
	return ((await (await fetch(`${baseUrl}/_sim/arrivals`)).json()) as { at: number[] }).at;
}

/** A full garbage collection, so that heap figures show what is retained, not what awaits collection. */
export const gc: () => void =
	global.gc ??
	(() => {
		setFlagsFromString('--expose-gc');
		return runInNewContext('gc') as () => void;
	})();

/** Seeds `count` subscribers into the SQLite file in another process (bench/seed.ts). */
export async function seedInChild(dbPath: string, count: number): Promise<void> {
	const child = spawn(
		process.execPath,
		['--import', 'tsx', path.join(__dirname, 'seed.ts'), dbPath, String(count)],
		{ cwd: ROOT, stdio: 'inherit' },
	);
	const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
	if (code !== 0) throw new Error(`seeding failed with exit code ${code}`);
}
