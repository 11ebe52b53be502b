import { serializeLikeMeta, signBody } from '../../../simulator';
import { CITIZEN, envelope, messagesChange, wamidFor } from '../../core/webhook/fixtures';
import { findPhoneLeaks } from '../../support/privacy';
import { tempSqlite, type TempSqlite } from '../../support/temp-store';
import { APP_SECRET, triggerRunner, type TriggerSetup } from '../trigger/support';
import { NODE, runConsentStore } from './support';

const processParams = {
	operation: 'processMessage',
	serviceName: 'Stadtinfo',
	defaultLanguage: 'de',
	consentTextVersion: 'v1',
};
const retry = { operation: 'retryMessages', olderThanSeconds: 0, maxMessages: 50 };

function start(serial: number, text = 'Start'): string {
	return serializeLikeMeta(
		envelope([
			messagesChange({
				messages: [
					{
						from: CITIZEN,
						id: wamidFor(CITIZEN, serial),
						timestamp: String(1_764_000_000 + serial),
						type: 'text',
						text: { body: text },
					},
				],
			}),
		]),
	);
}

describe('Consent Store: Retry Unprocessed Messages inside WorkflowExecute', () => {
	let db: TempSqlite;
	let trigger: TriggerSetup;
	beforeEach(() => {
		db = tempSqlite();
		trigger = triggerRunner({ consentStore: db.credential });
	});
	afterEach(async () => {
		await trigger.dispose();
		await db.dispose();
	});

	const deliver = (body: string) =>
		trigger.runner.call({
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'x-hub-signature-256': signBody(body, APP_SECRET),
			},
			body,
		});

	it('hands out a message whose execution never started, as the trigger emitted it; Process Message applies it once', async () => {
		// n8n answered Meta 200, then failed to create the execution: the item went nowhere.
		const lost = (await deliver(start(1))).output(0);
		const handedOut = await runConsentStore(retry, [{ json: {} }], db.credential);
		expect(handedOut.error).toBeUndefined();
		expect(handedOut.json(NODE, 0)).toEqual(lost);

		const applied = await runConsentStore(
			processParams,
			handedOut.json(NODE, 0).map((json) => ({ json })),
			db.credential,
		);
		expect(applied.json(NODE, 0)).toMatchObject([{ action: 'subscribed' }]);
		expect(await db.count('subscribers')).toBe(1);
		expect((await runConsentStore(retry, [{ json: {} }], db.credential)).json(NODE, 0)).toEqual([]);
		expect(findPhoneLeaks(JSON.stringify(handedOut.json(NODE, 0)), [CITIZEN])).toEqual([]);
	});

	it('hands out nothing applied already, nothing younger than the delay, and the same item once per delay', async () => {
		const emitted = (await deliver(start(2))).output(0);
		await runConsentStore(
			processParams,
			emitted.map((json) => ({ json })),
			db.credential,
		);
		await deliver(start(3, 'Stop'));
		const patient = { ...retry, olderThanSeconds: 3600 };
		expect((await runConsentStore(patient, [{ json: {} }], db.credential)).json(NODE, 0)).toEqual(
			[],
		);
		const first = await runConsentStore(retry, [{ json: {} }, { json: {} }], db.credential);
		expect(first.json(NODE, 0).map((item) => item.text)).toEqual(['Stop']);
		// Handed out just now: with an hour's delay it waits; the execution holding it may still run.
		expect((await runConsentStore(patient, [{ json: {} }], db.credential)).json(NODE, 0)).toEqual(
			[],
		);
		// Processed twice (the slow execution and the retry): applied once, the second goes to Other.
		const twice = [...first.json(NODE, 0), ...first.json(NODE, 0)].map((json) => ({ json }));
		const run = await runConsentStore(processParams, twice, db.credential);
		expect(run.json(NODE, 1)).toMatchObject([{ action: 'unsubscribed' }]);
		expect(run.json(NODE, 3)).toMatchObject([{ action: 'already_processed', replyText: null }]);
		expect(run.json(NODE, 3)[0].reason).toMatch(/processed already/);
	});
});
