import { sendReply, type ReplyOptions } from '../../../nodes/core/broadcast';
import { sealSender } from '../../../nodes/core/privacy/sealer';
import { TYPED_PHONES } from '../../support/formatted-phones';
import { findPhoneLeaks } from '../../support/privacy';
import { testKeys } from '../../support/test-key';
import { WebhookReceiver } from '../../support/webhook-receiver';
import { FAST, startRig, type Rig } from './support';

/** The engine's retries with a short backoff: the same classes and counts, no long waits. */
const RETRY: ReplyOptions = { backoff: FAST.backoff, maxAttempts: 3 };

describe('sendReply: one person, the engine’s error classes', () => {
	let rig: Rig;
	let receiver: WebhookReceiver;
	let phone: string;
	let pseudonym: string;
	beforeEach(async () => {
		rig = await startRig({ subscribers: 1 });
		receiver = await new WebhookReceiver(rig.sim.config.appSecret).start();
		rig.sim.configure({ callbackUrl: receiver.url });
		[phone] = rig.phones;
		pseudonym = (await rig.store.findByIdentity({ phone }))!.pseudonym;
		// The citizen wrote: the 24-hour window for free text is open.
		await rig.sim.citizenSends({ from: phone }, { text: 'Info' });
	});
	afterEach(async () => {
		await rig.close();
		await receiver.stop();
	});

	const reply = (recipient: string, options: ReplyOptions = RETRY) =>
		sendReply(rig.store, testKeys, rig.channel, { recipient, text: 'Antwort' }, options);

	it('reaches a sealed sender and a pseudonym, answering with the pseudonym only', async () => {
		await expect(reply(sealSender(testKeys, { phone }))).resolves.toEqual({
			recipient: pseudonym,
			sent: true,
			status: 'accepted',
		});
		await expect(reply(pseudonym)).resolves.toEqual({
			recipient: pseudonym,
			sent: true,
			status: 'accepted',
		});
		expect(rig.sim.messagesTo(phone).map((m) => m.text)).toEqual(['Antwort', 'Antwort']);
	});

	it('throttled (130429) twice: waits and retries, the person gets the reply once', async () => {
		rig.sim.configure({ faults: { throttleBursts: { period: 1000, length: 2 } } });
		await expect(reply(pseudonym)).resolves.toMatchObject({ sent: true });
		expect(rig.sim.counters().requests).toBe(3);
		expect(rig.sim.messagesTo(phone)).toHaveLength(1);
	});

	it('gives up after the attempts and says so', async () => {
		rig.sim.configure({ faults: { throttleBursts: { period: 1000, length: 1000 } } });
		await expect(reply(pseudonym)).rejects.toThrow(/Gave up after 3 attempts/);
		expect(rig.sim.counters().requests).toBe(3);
		expect(rig.sim.messagesTo(phone)).toHaveLength(0);
	});

	it.each([
		[131026, /undeliverable|Message undeliverable/i],
		[131048, /spam|quality/i],
	])('%i (skip or abort): reported at once, never retried', async (code, message) => {
		rig.sim.configure({ faults: { recipientErrors: { [phone]: code } } });
		const error = await reply(pseudonym).catch((e: Error) => e);
		expect(error).toBeInstanceOf(Error);
		expect((error as Error).message).toMatch(message);
		expect(findPhoneLeaks((error as Error).message, [phone])).toEqual([]);
		expect(rig.sim.counters().requests).toBe(1);
	});

	it('an answer lost after sending: retried at least once, never at most once', async () => {
		// Held and then closed unanswered: the client cannot know whether Meta accepted it.
		rig.sim.configure({ faults: { timeoutShare: 1, holdMs: 1 } });
		await expect(reply(pseudonym, { ...RETRY, policy: 'at-most-once' })).rejects.toThrow();
		expect(rig.sim.counters().requests).toBe(1);
		await expect(reply(pseudonym, { ...RETRY, policy: 'at-least-once' })).rejects.toThrow(
			/Gave up after 3 attempts/,
		);
		expect(rig.sim.counters().requests).toBe(4);
	});

	it('the 24-hour window closed (131047): says so by pseudonym', async () => {
		// Subscribed on paper, never wrote: no window is open.
		const other = '4915199999999';
		await rig.store.subscribe({
			identity: { phone: other },
			language: 'de',
			source: 'manual',
			textVersion: 'v1',
		});
		const otherPseudonym = (await rig.store.findByIdentity({ phone: other }))!.pseudonym;
		await expect(reply(otherPseudonym)).rejects.toThrow(
			`The 24-hour window for ${otherPseudonym} has closed`,
		);
		expect(rig.sim.counters().requests).toBe(1);
	});

	it.each(TYPED_PHONES)(
		'refuses $typed as a phone number without sending or repeating it',
		async ({ typed, digits }) => {
			const error = (await reply(typed).catch((e: Error) => e)) as Error;
			expect(error.message).toMatch(/^The recipient looks like a phone number/);
			expect(findPhoneLeaks(error.message, [digits])).toEqual([]);
			expect(rig.sim.counters().requests).toBe(0);
		},
	);

	it('an unknown pseudonym is named as such, without repeating it', async () => {
		const error = (await reply('Gast_01512345678x').catch((e: Error) => e)) as Error;
		expect(error.message).toMatch(/^The recipient is not a known pseudonym/);
		expect(error.message).not.toContain('01512345678');
		expect(rig.sim.counters().requests).toBe(0);
	});
});
