/**
 * Issue 11, point 4: in queue mode (main, two workers, Redis, the consent store in PostgreSQL) the
 * worker that is sending an announcement dies with SIGKILL (its whole process tree, as the OOM
 * killer or a lost container would), at a point drawn from a seed. Nobody posts again: the Resume
 * Broadcasts workflow, scheduled by main and run by the remaining worker, continues the broadcast
 * once the dead loop's sender lease (30 s) has run out. At the end everyone has it, the duplicates
 * stay within the sends the dead loop left in flight, the report says done with at least one
 * resumption, and no number is in n8n's tables or logs. The time from the kill to the next send
 * is printed.
 *
 * The kill point comes from a seed printed at once; replay with
 *
 *     CRASH_SEED=123456789 flock /tmp/civic-build.lock npm run test:e2e:queue -- test/e2e-queue/worker-killed.test.ts
 *
 * The seed fixes after how many sends the worker is killed; which sends are in flight at that
 * instant still depends on how the machine schedules the processes.
 *
 * The sending worker is the one holding connections to the simulator: the broadcast's sends are
 * the only requests n8n makes to it here. (The CMS execution's worker is not necessarily the
 * sender: a Resume Broadcasts run may take the number first, and the poster then waits.)
 *
 * Resume Broadcasts runs every 10 s here instead of every minute (the same workflow, only its
 * interval changed), so the wait after the lease has run out is short.
 */
import { randomInt } from 'node:crypto';

import { MAX_IN_FLIGHT_BOUND } from '../../nodes/core/broadcast/in-flight';
import { untilGone } from '../../scripts/n8n/instance';
import { processTree } from '../../scripts/n8n/processes';
import { seededRandom } from '../../simulator/limits';
import { findPhoneLeaks } from '../support/privacy';
import { phoneNumbers, postCms, subscribeAll } from './support/broadcasts';
import { connectionsTo } from './support/connections';
import {
	clusterLogs,
	eventually,
	startQueueEnvironment,
	type QueueEnvironment,
} from './support/queue-environment';
import { untilExecutionsFinished } from '../../scripts/n8n/executions';

const SUBSCRIBERS = 1000;
/** The credential's Messages per Second per Number: 1,000 sends take about 26 s. */
const RATE = 40;
const RESUME_EVERY_S = 10;
/** Meta answers after 100–300 ms, so a kill always finds sends in flight. */
const LATENCY = { min: 100, max: 300 };
/** The kill falls after this many sends (at least, at most): well inside the broadcast. */
const KILL_AFTER = { min: 40, max: 500 };
const ANNOUNCEMENT = {
	id: 'worker-kill-2026-12',
	title: 'Stromausfall im Oberdorf',
	link: 'https://musterdorf.example/strom',
};
const KEY = `cms:${ANNOUNCEMENT.id}`;
const SEED = crashSeed(process.env.CRASH_SEED);

function crashSeed(given: string | undefined): number {
	if (given === undefined || given.trim() === '') return randomInt(1, 2 ** 31);
	const seed = Number(given);
	if (!Number.isSafeInteger(seed) || seed < 0)
		throw new Error(`CRASH_SEED must be a whole number such as 123456789 (got "${given}")`);
	return seed;
}

const PHONES = phoneNumbers('49157', SUBSCRIBERS, 52_000_000, 3_917);
const say = (line: string) => process.stdout.write(`[scenario] ${line}\n`);

describe(`the sending worker killed mid-broadcast in queue mode (CRASH_SEED=${SEED})`, () => {
	let env: QueueEnvironment;

	beforeAll(async () => {
		process.stderr.write(`queue worker kill test: kill point from CRASH_SEED=${SEED}\n`);
		env = await startQueueEnvironment({
			pace: { messagesPerSecond: RATE, replySharePercent: 0 },
			resumeBroadcasts: { everySeconds: RESUME_EVERY_S },
			simulator: { faults: { latencyMs: LATENCY }, pairRate: false },
		});
		say(`cluster start took ${env.cluster.startupMs} ms`);
		await subscribeAll(env, PHONES);
	});

	afterAll(async () => {
		await env?.stop();
	});

	/** The broadcast's row, its `sending` rows and the number's lease, read past the store. */
	async function ledger(): Promise<{ state: string; sending: number; leaseUntil: number }> {
		return env.storeDb.withClient(async (client) => {
			const row = await client.query<{ id: string; state: string }>(
				`SELECT id, state FROM civic_broadcast.broadcasts WHERE key = $1`,
				[KEY],
			);
			if (row.rows.length === 0) return { state: 'none', sending: 0, leaseUntil: 0 };
			const sending = await client.query<{ n: string }>(
				`SELECT COUNT(*) AS n FROM civic_broadcast.deliveries WHERE broadcast_id = $1 AND state = 'sending'`,
				[row.rows[0].id],
			);
			const lease = await client.query<{ lease_until: string }>(
				`SELECT lease_until FROM civic_broadcast.sender_leases WHERE sender = $1`,
				[env.sim.config.phoneNumberId],
			);
			return {
				state: row.rows[0].state,
				sending: Number(sending.rows[0].n),
				leaseUntil: Number(lease.rows[0]?.lease_until ?? 0),
			};
		});
	}

	it('the remaining worker completes it: nobody missed, duplicates within what was in flight', async () => {
		const random = seededRandom(SEED);
		const killAfter = KILL_AFTER.min + Math.floor(random() * (KILL_AFTER.max - KILL_AFTER.min));
		const simPort = Number(new URL(env.sim.baseUrl).port);
		const accepted = () => env.sim.counters().accepted;
		const started = Date.now();
		const cmsAnswer = postCms(env, ANNOUNCEMENT);

		await eventually(`${killAfter} sends`, () => (accepted() >= killAfter ? true : undefined));
		const sender = await eventually('the worker sending to the simulator', () => {
			const sending = env.cluster.workers.filter(
				(w) =>
					connectionsTo(
						processTree(w.pid).map((p) => p.pid),
						simPort,
					) > 0,
			);
			return sending.length === 1 ? sending[0] : undefined;
		});
		const survivor = env.cluster.workers.find((w) => w !== sender);
		const tree = processTree(sender.pid);
		const killedAt = Date.now();
		const sentAtKill = accepted();
		for (const ref of tree) {
			try {
				process.kill(ref.pid, 'SIGKILL');
			} catch {
				// Gone between listing and killing.
			}
		}
		await untilGone(tree);
		// The dead process's last requests are in the simulator's socket buffers at most; let them
		// land. Nobody else can send meanwhile: the dead loop's sender lease holds the number.
		await new Promise((r) => setTimeout(r, 500));
		const left = await ledger();
		const settled = env.sim.accepted().length;
		say(
			`killed ${sender.name} (${tree.length} processes) after ${sentAtKill} sends (seed asked ${killAfter}); ` +
				`${left.sending} rows left sending; sender lease free ${s(left.leaseUntil - killedAt)} s after the kill`,
		);
		expect(left.state).toBe('queued');

		const nextSendAt = await eventually(
			'the next send after the kill',
			() => env.sim.accepted()[settled]?.at,
			240_000,
		);
		say(`next send ${s(nextSendAt - killedAt)} s after the kill`);
		await eventually(
			'the broadcast to be done',
			async () => ((await ledger()).state === 'done' ? true : undefined),
			300_000,
		);
		const doneAt = Date.now();
		const done = await ledger();
		// An execution that was running on the dead worker stays `running` in n8n's database until
		// main finds its job stalled (lock 60 s, stall check every 30 s): hence the long limit.
		expect(
			await untilExecutionsFinished(
				env.cluster.baseUrl,
				env.cookie,
				'civicResumeBroadcasts',
				240_000,
			),
		).toBe(true);
		say(
			`done ${s(doneAt - killedAt)} s after the kill; no Resume Broadcasts execution current ` +
				`${s(Date.now() - killedAt)} s after it; kept executions by workflow and status: ` +
				(await keptExecutions(env)),
		);
		const report = await env.store.broadcastReport(KEY);

		let missed = 0;
		let duplicates = 0;
		let duplicatesBeforeKill = 0;
		for (const phone of PHONES) {
			const copies = env.sim
				.messagesTo(phone)
				.filter((m) => m.templateName === 'civic_announcement');
			if (copies.length === 0) missed += 1;
			for (const copy of copies.slice(1)) {
				duplicates += 1;
				if (copy.at < killedAt) duplicatesBeforeKill += 1;
			}
		}
		const survivorRuns = [
			...(clusterLogs(env.cluster).find((l) => l.file === survivor?.name)?.text ?? '').matchAll(
				/Worker started execution (\d+) \(job/g,
			),
		].length;
		say(
			`worker kill (CRASH_SEED=${SEED}, resume every ${RESUME_EVERY_S} s): ${SUBSCRIBERS} subscribers at ${RATE}/s; ` +
				`kill → next send ${s(nextSendAt - killedAt)} s; in flight at the kill ${left.sending}, duplicates ${duplicates}; ` +
				`missed ${missed}; report: ${report?.state}, ${report?.accepted} accepted, ${report?.resumptions} resumptions; ` +
				`${survivor?.name} started ${survivorRuns} executions; CMS caller: ${await Promise.race([
					cmsAnswer,
					new Promise((r) => setTimeout(() => r('(no answer yet)'), 1000)),
				])}; ${s(Date.now() - started)} s from the post to the end`,
		);

		expect(missed).toBe(0);
		expect(report).toMatchObject({ state: 'done', accepted: SUBSCRIBERS, failed: 0, unknown: 0 });
		expect(done.sending).toBe(0);
		expect(report?.resumptions).toBeGreaterThanOrEqual(1);
		expect(duplicatesBeforeKill).toBe(0);
		// The bound: at-least-once sends again exactly the rows the dead loop left `sending`, read
		// from the store after the kill. The engine writes an intent only for an in-flight slot it
		// holds and frees the slot once the outcome is durable, so those rows are at most the
		// in-flight limit at the kill (itself at most MAX_IN_FLIGHT_BOUND). A duplicate is a resent
		// row whose first request had reached Meta: never more than the rows.
		expect(duplicates).toBeLessThanOrEqual(left.sending);
		expect(left.sending).toBeLessThanOrEqual(MAX_IN_FLIGHT_BOUND);
	});

	it('leaves no phone number in n8n’s PostgreSQL tables or any process’s log', async () => {
		const n8nTables = await env.cluster.database.dump();
		expect(n8nTables).toContain('civicResumeBroadcasts');
		const leaks = [{ file: 'n8n tables', text: n8nTables }, ...clusterLogs(env.cluster)].flatMap(
			(source) => findPhoneLeaks(source.text, PHONES).map((leak) => `${source.file}: ${leak}`),
		);
		expect(leaks).toEqual([]);
		expect(findPhoneLeaks(JSON.stringify(env.sim.accepted()), PHONES).length).toBeGreaterThan(0);
	});
});

/** n8n's kept executions (failed ones; successful runs are not saved), as `workflow status` counts. */
async function keptExecutions(env: QueueEnvironment): Promise<string> {
	const response = await fetch(`${env.cluster.baseUrl}/rest/executions?limit=100`, {
		headers: { cookie: env.cookie },
	});
	const { data } = (await response.json()) as {
		data: { results: Array<{ workflowId: string; status: string }> };
	};
	const counts = new Map<string, number>();
	for (const { workflowId, status } of data.results)
		counts.set(`${workflowId} ${status}`, (counts.get(`${workflowId} ${status}`) ?? 0) + 1);
	return [...counts].map(([what, n]) => `${what} ${n}`).join(', ') || 'none';
}

function s(ms: number): string {
	return (ms / 1000).toFixed(1);
}
