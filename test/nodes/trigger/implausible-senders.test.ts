import fc from 'fast-check';

import { serializeLikeMeta, signBody } from '../../../simulator';
import { isPlausibleNumber } from '../../../nodes/core/webhook/identity';
import {
	CITIZEN,
	envelope,
	messagesChange,
	preferenceChange,
	status,
	wamidFor,
} from '../../core/webhook/fixtures';
import { APP_SECRET, triggerRunner, type TriggerSetup } from './support';

/** A Start from `from`, signed with the app secret: what a fuzzer holding the secret sends. */
function startFrom(from: string, serial: number): string {
	const seconds = String(Math.floor(Date.now() / 1000));
	return serializeLikeMeta(
		envelope([
			messagesChange({
				messages: [
					{
						from,
						id: wamidFor(CITIZEN, serial),
						timestamp: seconds,
						type: 'text',
						text: { body: 'Start' },
					},
				],
				contacts: [{ wa_id: from, profile: { name: 'Fuzz' } }],
			}),
		]),
	);
}

describe('WhatsApp Broadcast Trigger: implausible senders start nothing', () => {
	let setup: TriggerSetup;
	let serial = 0;
	beforeAll(() => {
		setup = triggerRunner({ parameters: { options: { onlyOwnNumber: false } } });
	});
	afterAll(() => setup.dispose());

	const post = (body: string) =>
		setup.runner.call({
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'x-hub-signature-256': signBody(body, APP_SECRET),
			},
			body,
		});

	it.each([
		['0', '0'],
		['1', '1'],
		['15', '15'],
		['30 digits', '987654321098765432109876543210'],
		['205 digits', '7'.repeat(205)],
		['letters', 'abcdefghijk'],
	])('a signed Start from %s: 200, no items, a log line without the value', async (_, from) => {
		const before = setup.runner.logs.length;
		const outcome = await post(startFrom(from, (serial += 1)));
		expect(outcome).toMatchObject({ status: 200, executionStarted: false });
		expect(outcome.output(0)).toEqual([]);
		const lines = setup.runner.logs.slice(before);
		expect(lines.map((l) => l.message)).toContain(
			'WhatsApp webhook: dropped 1 message(s) from an implausible sender, nothing stored',
		);
		// Digits of the value appear nowhere: the fixed texts and the counts (0 or 1) hold none
		// longer than one digit.
		const logged = JSON.stringify(lines);
		expect(logged.match(/\d{2,}/g) ?? []).toEqual([]);
	});

	it('a status for an implausible recipient and an opt-out from one are dropped the same way', async () => {
		const body = serializeLikeMeta(
			envelope([
				messagesChange({ statuses: [status((serial += 1), 'read', { recipient_id: '15' })] }),
				preferenceChange('stop', { wa_id: '0' }),
			]),
		);
		const before = setup.runner.logs.length;
		const outcome = await post(body);
		expect(outcome).toMatchObject({ status: 200, executionStarted: false });
		expect(setup.runner.logs.slice(before).map((l) => l.message)).toEqual(
			expect.arrayContaining([
				'WhatsApp webhook: dropped 1 message(s) from an implausible sender, nothing stored',
				'WhatsApp webhook: dropped 1 status(es) for an implausible recipient, nothing stored',
			]),
		);
	});

	it('a plausible sender still starts an execution (the check is not a wall)', async () => {
		const outcome = await post(startFrom(CITIZEN, (serial += 1)));
		expect(outcome).toMatchObject({ status: 200, executionStarted: true });
		expect(outcome.output(0)).toHaveLength(1);
	});

	it('random implausible senders never produce an item, and are never logged', async () => {
		const junk = fc
			.oneof(fc.stringMatching(/^\d{0,40}$/), fc.string({ maxLength: 40 }))
			.filter((from) => from !== '' && !isPlausibleNumber(from));
		await fc.assert(
			fc.asyncProperty(junk, async (from) => {
				const before = setup.runner.logs.length;
				const outcome = await post(startFrom(from, (serial += 1)));
				expect(outcome).toMatchObject({ status: 200, executionStarted: false });
				const logged = JSON.stringify(setup.runner.logs.slice(before));
				if (from.length >= 4) expect(logged).not.toContain(JSON.stringify(from).slice(1, -1));
			}),
			{ numRuns: 60 },
		);
	});
});
