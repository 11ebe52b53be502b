import fc from 'fast-check';

import { serializeLikeMeta, signBody } from '../../../simulator';
import { envelopeArb, mutate, mutationsArb, phoneArb } from '../../core/webhook/arbitraries';
import { findPhoneLeaks, phoneForms } from '../../support/privacy';
import { APP_SECRET, triggerRunner, type TriggerSetup } from './support';

describe('WhatsApp Broadcast Trigger under random signed deliveries', () => {
	let setup: TriggerSetup;
	beforeAll(() => {
		setup = triggerRunner({ parameters: { options: { onlyOwnNumber: false } } });
	});
	afterAll(() => setup.dispose());

	const post = (body: string | Buffer, contentType = 'application/json') =>
		setup.runner.call({
			method: 'POST',
			headers: { 'content-type': contentType, 'x-hub-signature-256': signBody(body, APP_SECRET) },
			body,
		});

	it('answers without crashing and emits no form of the sender’s number', async () => {
		await fc.assert(
			fc.asyncProperty(
				phoneArb.chain((phone) => fc.tuple(fc.constant(phone), envelopeArb(phone), mutationsArb)),
				async ([phone, body, mutations]) => {
					fc.pre(
						mutations.every(
							(m) => !phoneForms(phone).some((f) => JSON.stringify(m.value ?? null).includes(f)),
						),
					);
					const outcome = await post(serializeLikeMeta(mutate(body, mutations)));
					expect([200]).toContain(outcome.status);
					const emitted = JSON.stringify(outcome.workflowData ?? []);
					expect(findPhoneLeaks(emitted + JSON.stringify(setup.runner.logs), [phone])).toEqual([]);
				},
			),
			{ numRuns: 60 },
		);
	});

	it('answers 200, 400 or 422 to random bytes, never 500, and starts nothing', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.uint8Array({ maxLength: 200 }),
				fc.constantFrom('application/json', 'text/plain', 'application/octet-stream'),
				async (bytes, contentType) => {
					const outcome = await post(Buffer.from(bytes), contentType);
					expect([200, 400, 422]).toContain(outcome.status);
					expect(outcome.executionStarted).toBe(false);
				},
			),
			{ numRuns: 60 },
		);
	});
});
