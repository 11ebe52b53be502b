/**
 * Kills a sending process with SIGKILL at random points and resumes it; the delivery guarantees
 * must hold whatever the points.
 *
 * The points come from a seed, printed in the test names and on the console, e.g.
 * `crash test (CRASH_SEED=123456789)`. To replay a failure with the same kill points:
 *
 *     CRASH_SEED=123456789 npx jest test/crash
 *
 * The seed fixes after how many more accepted messages each kill falls; which sends are in flight
 * at that instant still depends on how the machine schedules the two processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import path from 'node:path';

import type { DeliveryPolicy } from '../../nodes/core/store';
import { seededRandom } from '../../simulator/limits';
import { startRig, type Rig } from '../core/broadcast/support';

const ROOT = path.resolve(__dirname, '../..');
const CHILD = path.resolve(__dirname, 'broadcast-child.ts');
const SUBSCRIBERS = 400;
const IN_FLIGHT = 8;
const KILLS = 4;
/** A killed sender's lease must run out before the broadcast can resume: keep it short here. */
const LEASE_MS = 200;
const SEED = crashSeed(process.env.CRASH_SEED);

function crashSeed(given: string | undefined): number {
	if (given === undefined || given.trim() === '') return randomInt(1, 2 ** 31);
	const seed = Number(given);
	if (!Number.isSafeInteger(seed) || seed < 0)
		throw new Error(`CRASH_SEED must be a whole number such as 123456789 (got "${given}")`);
	return seed;
}

function startChild(
	rig: Rig,
	policy: DeliveryPolicy,
): { child: ChildProcess; exited: Promise<number | null>; output: () => string } {
	const config = {
		credential: rig.db.credential,
		baseUrl: rig.sim.baseUrl,
		phoneNumberId: rig.sim.config.phoneNumberId,
		accessToken: rig.sim.config.accessToken,
		key: `crash-${policy}`,
		policy,
		maxInFlight: IN_FLIGHT,
		leaseMs: LEASE_MS,
	};
	// Node itself with tsx as a loader: the `tsx` command would fork a grandchild that SIGKILL misses.
	const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(config)], {
		cwd: ROOT,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	return { child, exited, output: () => out };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

/** Kills the sending process several times at the seed's points, then lets a last run finish. */
async function crashAndResume(rig: Rig, policy: DeliveryPolicy): Promise<number> {
	// Each test draws from its own stream of the seed, so either one replays on its own too.
	const random = seededRandom(SEED);
	let kills = 0;
	for (let round = 0; round < KILLS; round++) {
		const run = startChild(rig, policy);
		let done = false;
		void run.exited.then(() => (done = true));
		// A random point: after 15–60 more messages were accepted by the simulator.
		const target = rig.sim.counters().accepted + 15 + Math.floor(random() * 45);
		while (!done && rig.sim.counters().accepted < target) await tick();
		if (done) break;
		run.child.kill('SIGKILL');
		await run.exited;
		kills += 1;
		// The dead child renewed its lease before it died, so it ends within LEASE_MS of now: a
		// wait of at least that long, not a race with it.
		await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 50));
	}
	const last = startChild(rig, policy);
	const code = await last.exited;
	if (code !== 0) throw new Error(`The final run failed: ${last.output()}`);
	return kills;
}

describe(`crash test (CRASH_SEED=${SEED}): the sending process is killed with SIGKILL and resumed`, () => {
	let rig: Rig;
	// On stderr at once, also when a later step hangs; the test names carry it too.
	beforeAll(() => process.stderr.write(`Crash test kill points from CRASH_SEED=${SEED}\n`));
	afterEach(async () => rig?.close());

	/** A fresh rig, crashed and resumed under `policy`: how often it was killed, what each got. */
	async function crashed(policy: DeliveryPolicy): Promise<{ kills: number; counts: number[] }> {
		rig = await startRig({
			sim: { faults: { latencyMs: { min: 1, max: 4 } } },
			subscribers: SUBSCRIBERS,
		});
		const kills = await crashAndResume(rig, policy);
		expect(kills).toBeGreaterThan(0);
		return { kills, counts: rig.counts() };
	}

	it('at-least-once: nobody missed, duplicates at most the in-flight limit per crash', async () => {
		const { kills, counts } = await crashed('at-least-once');
		expect(counts.filter((n) => n === 0)).toHaveLength(0);
		const duplicates = counts.reduce((sum, n) => sum + Math.max(0, n - 1), 0);
		expect(duplicates).toBeLessThanOrEqual(IN_FLIGHT * kills);
		expect(await rig.store.broadcastReport('crash-at-least-once')).toMatchObject({
			recipients: SUBSCRIBERS,
			accepted: SUBSCRIBERS,
			unknown: 0,
		});
	}, 120_000);

	it('at-most-once: nobody gets it twice, misses bounded the same way and reported as unknown', async () => {
		const { kills, counts } = await crashed('at-most-once');
		expect(counts.filter((n) => n > 1)).toHaveLength(0);
		const missed = counts.filter((n) => n === 0).length;
		const report = await rig.store.broadcastReport('crash-at-most-once');
		expect(report?.recipients).toBe(SUBSCRIBERS);
		expect(missed).toBeLessThanOrEqual(report!.unknown);
		expect(report!.unknown).toBeLessThanOrEqual(IN_FLIGHT * kills);
		expect(report!.accepted + report!.unknown).toBe(SUBSCRIBERS);
	}, 120_000);
});
