/**
 * Two different announcements posted by the CMS at the same moment while n8n runs in queue mode
 * (main, two workers, the consent store in PostgreSQL): the two executions may run at once on
 * different workers, but they share one number, so together they must stay within the number's
 * budget (the credential's 40 messages per second, no share kept for replies) in every second as
 * the simulator (Meta) sees it: per calendar second and in a sliding one-second window over the
 * arrival times it records. Every subscriber gets each announcement exactly once, and no number
 * is in n8n's tables or logs. The combined rate achieved, as a share of the budget, is printed.
 */
import { findPhoneLeaks } from '../support/privacy';
import { busiestWindows, phoneNumbers, postCms, subscribeAll } from './support/broadcasts';
import {
	clusterLogs,
	executionsFinished,
	startQueueEnvironment,
	type QueueEnvironment,
} from './support/queue-environment';

const SUBSCRIBERS = 200;
/** The credential's Messages per Second per Number; Share Kept for Replies is 0. */
const BUDGET = 40;

const PHONES = phoneNumbers('49176', SUBSCRIBERS, 38_100_000, 6_421);
const ANNOUNCEMENTS = [
	{ id: 'pace-2026-31', title: 'Sperrung der Brückenstraße', link: 'https://musterdorf.example/a' },
	{
		id: 'pace-2026-32',
		title: 'Wasserrohrbruch am Marktplatz',
		link: 'https://musterdorf.example/b',
	},
];

const say = (line: string) => process.stdout.write(`[scenario] ${line}\n`);

describe('two announcements posted at the same moment in queue mode share the number’s budget', () => {
	let env: QueueEnvironment;

	beforeAll(async () => {
		env = await startQueueEnvironment({
			pace: { messagesPerSecond: BUDGET, replySharePercent: 0 },
			// Meta answers after 50–250 ms, so several sends of both are in flight at any moment.
			simulator: { faults: { latencyMs: { min: 50, max: 250 } } },
		});
		say(`cluster start took ${env.cluster.startupMs} ms`);
		await subscribeAll(env, PHONES);
	});

	afterAll(async () => {
		await env?.stop();
	});

	it('never more than the budget in any second, everyone gets each exactly once', async () => {
		const started = Date.now();
		const answers = await Promise.all(ANNOUNCEMENTS.map((a) => postCms(env, a)));
		say(`both CMS posts answered after ${Date.now() - started} ms`);
		answers.forEach((a, i) => say(`answer ${i + 1}: ${a}`));
		await executionsFinished(env, 'civicCmsAnnouncements');

		const announcements = env.sim.accepted();
		const copies = ANNOUNCEMENTS.map((a) =>
			PHONES.map(
				(phone) =>
					env.sim
						.messagesTo(phone)
						.filter(
							(m) => m.templateName === 'civic_announcement' && (m.text ?? '').includes(a.title),
						).length,
			),
		);
		const busiest = busiestWindows(announcements.map((m) => m.at));
		const arrivals = announcements.map((m) => m.at).sort((a, b) => a - b);
		const spanS = (arrivals[arrivals.length - 1] - arrivals[0]) / 1000;
		const rate = (arrivals.length - 1) / spanS;
		say(
			`${arrivals.length} sends in ${spanS.toFixed(1)} s: ${rate.toFixed(1)}/s combined = ` +
				`${((rate / BUDGET) * 100).toFixed(1)} % of the budget ${BUDGET}/s; busiest calendar second ` +
				`${busiest.fixed.count}, busiest sliding second ${busiest.sliding.count} ` +
				`(from ${new Date(busiest.sliding.from).toISOString()})`,
		);
		// Both ran: the second announcement did not wait for the end of the test, and neither failed.
		for (const answer of answers) expect(answer).toMatch(/^HTTP 200 /);

		for (const [i, perPhone] of copies.entries())
			expect({ announcement: i, notOnce: perPhone.filter((n) => n !== 1).length }).toEqual({
				announcement: i,
				notOnce: 0,
			});
		// Nothing else left the number.
		expect(announcements).toHaveLength(2 * SUBSCRIBERS);
		expect(busiest.fixed.count).toBeLessThanOrEqual(BUDGET);
		expect(busiest.sliding.count).toBeLessThanOrEqual(BUDGET);
		for (const a of answers) expect(a).not.toMatch(/\d{8,}/);
	});

	it('leaves no phone number in n8n’s PostgreSQL tables or any process’s log', async () => {
		const n8nTables = await env.cluster.database.dump();
		expect(n8nTables).toContain('civicCmsAnnouncements');
		const leaks = [{ file: 'n8n tables', text: n8nTables }, ...clusterLogs(env.cluster)].flatMap(
			(s) => findPhoneLeaks(s.text, PHONES).map((leak) => `${s.file}: ${leak}`),
		);
		expect(leaks).toEqual([]);
		// The same search finds the numbers where they must be: what the simulator received.
		expect(findPhoneLeaks(JSON.stringify(env.sim.accepted()), PHONES).length).toBeGreaterThan(0);
	});
});
