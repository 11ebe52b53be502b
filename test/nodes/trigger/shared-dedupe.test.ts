import { serializeLikeMeta, signBody } from '../../../simulator';
import { CITIZEN, envelope, messagesChange, wamidFor } from '../../core/webhook/fixtures';
import { tempPostgres } from '../../support/temp-store';
import { APP_SECRET, triggerRunner, type TriggerSetup } from './support';

/**
 * Queue mode: several n8n workers behind one webhook URL, one PostgreSQL consent store. Meta's
 * retry of the same delivery may reach two workers at once; only one may emit it.
 */
describe('WhatsApp Broadcast Trigger: dedupe shared by workers through PostgreSQL', () => {
	const db = tempPostgres();
	let workerA: TriggerSetup;
	let workerB: TriggerSetup;
	beforeAll(() => {
		// Different host spellings: two separate store instances (pools), as two processes would have.
		workerA = triggerRunner({ consentStore: { ...db.credential, host: '127.0.0.1' } });
		workerB = triggerRunner({ consentStore: { ...db.credential, host: 'localhost' } });
	});
	afterAll(async () => {
		await workerA.dispose();
		await workerB.dispose();
		await db.dispose();
	});

	const deliver = (worker: TriggerSetup, body: string) =>
		worker.runner.call({
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'x-hub-signature-256': signBody(body, APP_SECRET),
			},
			body,
		});

	it('emits each of many concurrent duplicate deliveries exactly once', async () => {
		const seconds = String(Math.floor(Date.now() / 1000));
		const bodies = Array.from({ length: 10 }, (_, i) =>
			serializeLikeMeta(
				envelope([
					messagesChange({
						messages: [
							{
								from: CITIZEN,
								id: wamidFor(CITIZEN, 40_000 + i),
								timestamp: seconds,
								type: 'text',
								text: { body: `m${i}` },
							},
						],
					}),
				]),
			),
		);
		// Warm both pools (migrations) so the race below is about dedupe, not schema creation.
		await deliver(workerA, bodies[0]);
		await deliver(workerB, bodies[0]);
		const outcomes = await Promise.all(
			bodies.slice(1).flatMap((body) => [deliver(workerA, body), deliver(workerB, body)]),
		);
		expect(outcomes.every((o) => o.status === 200)).toBe(true);
		const texts = outcomes.flatMap((o) => o.output(0).map((item) => item.text)).sort();
		expect(texts).toEqual(
			bodies
				.slice(1)
				.map((_, i) => `m${i + 1}`)
				.sort(),
		);
	});
});
