/**
 * Staff's CMS posts the same announcement twice at the same moment (a double click, a retry that
 * crossed the first request) while n8n runs in queue mode, so the two executions can run at once
 * on different workers. Whatever happens to the second execution, every subscriber receives the
 * announcement exactly once. The test asserts what citizens receive, not how the second
 * execution ends; it prints both answers to the CMS.
 */
import {
	eventually,
	executionsFinished,
	startQueueEnvironment,
	type QueueEnvironment,
} from './support/queue-environment';

const SUBSCRIBERS = 40;

/** Distinct Slovenian mobile numbers (386 41 and six digits, valid for the trigger's check). */
const numbers = Array.from(
	{ length: SUBSCRIBERS },
	(_, i) => `38641${String(305_291 + i * 7_919).padStart(6, '0')}`,
);

const say = (line: string) => process.stdout.write(`[scenario] ${line}\n`);

describe('the same announcement posted twice at once in queue mode', () => {
	let env: QueueEnvironment;

	beforeAll(async () => {
		env = await startQueueEnvironment();
		say(`cluster start took ${env.cluster.startupMs} ms`);
		const queue = [...numbers];
		await Promise.all(
			Array.from({ length: 8 }, async () => {
				for (let from = queue.shift(); from; from = queue.shift())
					await env.sim.citizenSends({ from }, { text: 'Prijava' });
			}),
		);
		await eventually('every confirmation', () =>
			numbers.every((n) => env.sim.messagesTo(n).length === 1) ? true : undefined,
		);
		await executionsFinished(env, 'civicSubscriptions');
		expect(await env.store.countSubscribers()).toBe(SUBSCRIBERS);
	});

	afterAll(async () => {
		await env?.stop();
	});

	async function postCms(body: unknown): Promise<{ status: number; body: string }> {
		const response = await fetch(env.cmsUrl, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				[env.cmsHeader.name.toLowerCase()]: env.cmsHeader.value,
			},
			body: JSON.stringify(body),
		});
		return { status: response.status, body: await response.text() };
	}

	it('every subscriber receives it exactly once', async () => {
		const announcement = {
			id: 'cms-2026-204',
			title: 'Hochwasserwarnung für die Uferstraße',
			link: 'https://musterdorf.example/aktuelles/hochwasser',
		};
		const started = Date.now();
		const answers = await Promise.all([postCms(announcement), postCms(announcement)]);
		say(`both CMS posts answered after ${Date.now() - started} ms`);
		answers.forEach((a, i) => say(`answer ${i + 1}: HTTP ${a.status} ${a.body}`));
		// Each post was answered by its own execution (the workflow's Respond nodes run only there).
		expect(answers.map((a) => a.status).filter((s) => s !== 200 && s !== 502)).toEqual([]);
		await executionsFinished(env, 'civicCmsAnnouncements');
		say(`executions finished after ${Date.now() - started} ms`);

		const received = numbers.map(
			(n) =>
				env.sim
					.messagesTo(n)
					.filter((m) => m.type === 'template' && (m.text ?? '').includes(announcement.title))
					.length,
		);
		expect(received.filter((count) => count !== 1)).toEqual([]);
		expect(received).toHaveLength(SUBSCRIBERS);
		// Nothing else went out: the confirmations and one announcement per subscriber.
		expect(env.sim.accepted()).toHaveLength(2 * SUBSCRIBERS);
		for (const a of answers) expect(a.body).not.toMatch(/\d{8,}/);
	});
});
