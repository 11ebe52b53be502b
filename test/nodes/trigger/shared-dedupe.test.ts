import { Client } from 'pg';

import { serializeLikeMeta, signBody } from '../../../simulator';
import { CITIZEN, envelope, messagesChange, wamidFor } from '../../core/webhook/fixtures';
import { APP_SECRET, DATA_KEY, triggerRunner, type TriggerSetup } from './support';

const schema = `trigger_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const PG = { port: 5432, database: 'test', user: 'postgres', password: '', ssl: false, schema };

async function admin(sql: string): Promise<void> {
	const client = new Client({ host: '127.0.0.1', port: 5432, database: 'test', user: 'postgres' });
	await client.connect();
	try {
		await client.query(sql);
	} finally {
		await client.end();
	}
}

/**
 * Queue mode: several n8n workers behind one webhook URL, one PostgreSQL consent store. Meta's
 * retry of the same delivery may reach two workers at once; only one may emit it.
 */
describe('WhatsApp Broadcast Trigger: dedupe shared by workers through PostgreSQL', () => {
	let workerA: TriggerSetup;
	let workerB: TriggerSetup;
	beforeAll(() => {
		// Different host spellings: two separate store instances (pools), as two processes would have.
		workerA = triggerRunner({
			consentStore: { backend: 'postgres', host: '127.0.0.1', ...PG, dataProtectionKey: DATA_KEY },
		});
		workerB = triggerRunner({
			consentStore: { backend: 'postgres', host: 'localhost', ...PG, dataProtectionKey: DATA_KEY },
		});
	});
	afterAll(async () => {
		await workerA.dispose();
		await workerB.dispose();
		await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
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
