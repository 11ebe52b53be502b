import {
	DEFAULT_REPLY_TEXTS,
	KeywordParser,
	processMessage,
	replyTexts,
	type InboundMessage,
	type ProcessOptions,
} from '../../../nodes/core/consent';
import { DecryptionError, InputError } from '../../../nodes/core/errors';
import { derivePrivacyKeys } from '../../../nodes/core/privacy/keys';
import { sealMessageId, sealSender } from '../../../nodes/core/privacy/sealer';
import { makeWamid } from '../../../simulator/wamid';
import { findPhoneLeaks } from '../../support/privacy';
import { storePerTest } from '../../support/temp-store';
import { testKeys as keys } from '../../support/test-key';

const PHONE = '4915112345678';
const OTHER = '38640123456';
const options: ProcessOptions = {
	parser: new KeywordParser(),
	texts: replyTexts(),
	defaultLanguage: 'de',
	textVersion: 'v3',
	serviceName: 'Stadtinfo',
	timeZone: 'Europe/Berlin',
};

const each = storePerTest();

function message(phone: string, fields: Partial<InboundMessage>): InboundMessage {
	return {
		sender: sealSender(keys, { phone }),
		messageId: sealMessageId(keys, makeWamid(phone, 7)),
		time: '2026-11-20T09:30:00.000Z',
		type: 'text',
		...fields,
	};
}

/** Process Message on the test's store, with the test keys. */
function handle(message: InboundMessage, processOptions: ProcessOptions = options) {
	return processMessage(each.store, keys, message, processOptions);
}

describe('processMessage', () => {
	it('subscribes on "Start!", storing proof of consent with the unsealed message ID', async () => {
		const result = await handle(message(PHONE, { text: 'Start!' }));
		expect(result).toMatchObject({
			route: 'subscribed',
			action: 'subscribed',
			language: 'de',
			keyword: 'start',
			pseudonym: 'Gast_0001',
		});
		expect(result.replyText).toContain('Willkommen bei Stadtinfo!');
		expect(result.replyText).toContain('Gast_0001');
		const stored = await each.store.findByPseudonym('Gast_0001');
		expect(stored).toMatchObject({
			consentKeyword: 'start',
			consentMessageId: makeWamid(PHONE, 7),
			consentTextVersion: 'v3',
			consentAt: new Date('2026-11-20T09:30:00.000Z'),
			consentSource: 'whatsapp',
		});
	});

	it('answers a second join with "already subscribed" in the stored language', async () => {
		await handle(message(PHONE, { text: 'prijava' }));
		const again = await handle(message(PHONE, { text: 'START' }));
		expect(again).toMatchObject({
			action: 'already_subscribed',
			language: 'sl',
			pseudonym: 'Gast_0001',
		});
		expect(again.replyText).toBe(
			'Že ste prijavljeni (Gast_0001). Z ODJAVA se odjavite, s PODATKI vidite svoje podatke.',
		);
	});

	it('deletes on " STOPP 👋" and replies through the sealed sender, without a pseudonym', async () => {
		const join = message(PHONE, { text: 'join' });
		await handle(join);
		const leave = message(PHONE, { text: ' STOPP 👋' });
		const result = await handle(leave);
		expect(result).toMatchObject({
			route: 'unsubscribed',
			action: 'unsubscribed',
			language: 'de',
			sender: leave.sender,
		});
		expect(result.pseudonym).toBeUndefined();
		expect(result.replyText).toBe(DEFAULT_REPLY_TEXTS.de.unsubscribed);
		expect(await each.store.countSubscribers()).toBe(0);
		const twice = await handle(leave);
		expect(twice.action).toBe('not_subscribed');
	});

	it('"Stop" of an English subscriber is answered in English (shared keyword, stored language)', async () => {
		await handle(message(PHONE, { text: 'subscribe' }));
		const result = await handle(message(PHONE, { text: 'stop' }));
		expect(result.language).toBe('en');
		expect(result.replyText).toBe(DEFAULT_REPLY_TEXTS.en.unsubscribed);
	});

	it('answers Info with what is stored (Art. 15), and records the request', async () => {
		await handle(message(PHONE, { text: 'anmelden' }));
		const result = await handle(message(PHONE, { text: 'Daten?' }));
		expect(result).toMatchObject({ route: 'info', action: 'info', pseudonym: 'Gast_0001' });
		expect(result.replyText).toBe(
			'Gespeichert ist: Name Gast_0001, Ihre Nummer (verschlüsselt), Anmeldung am 20. November 2026 mit „anmelden“, Informationstext Version v3. Mit STOP wird alles gelöscht.',
		);
		const unknown = await handle(message(OTHER, { text: 'podatki' }));
		expect(unknown).toMatchObject({ route: 'info', action: 'info', language: 'sl' });
		expect(unknown.pseudonym).toBeUndefined();
		expect(unknown.replyText).toBe(DEFAULT_REPLY_TEXTS.sl.infoNotSubscribed);
	});

	it('answers Help on the Info route with the help text', async () => {
		const result = await handle(message(PHONE, { text: 'Help!' }));
		expect(result).toMatchObject({ route: 'info', action: 'help', language: 'en' });
		expect(result.replyText).toContain('This is the WhatsApp service of Stadtinfo.');
		expect(await each.store.countSubscribers()).toBe(0);
	});

	it('sends anything else to staff with its text, the sealed sender and the pseudonym if known', async () => {
		await handle(message(PHONE, { text: 'start' }));
		const question = message(PHONE, { text: 'Start of the fair?' });
		const result = await handle(question);
		expect(result).toEqual({
			route: 'other',
			action: 'other',
			language: 'de',
			pseudonym: 'Gast_0001',
			sender: question.sender,
			replyText: null,
			text: 'Start of the fair?',
			messageType: 'text',
		});
		const image = await handle(message(OTHER, { type: 'image' }));
		expect(image).toMatchObject({ route: 'other', messageType: 'image', text: undefined });
	});

	it('reads quick-reply button payloads before the button text', async () => {
		const tap = message(PHONE, { type: 'button', text: 'Abmelden bitte', payload: 'STOP' });
		await handle(message(PHONE, { text: 'start' }));
		expect((await handle(tap)).action).toBe('unsubscribed');
		// A minute later: a Start at the very time of the Stop would lose to it (message order).
		const join = message(PHONE, {
			type: 'interactive',
			text: 'Ja, gerne',
			payload: 'subscribe',
			time: '2026-11-20T09:31:00.000Z',
		});
		expect((await handle(join)).action).toBe('subscribed');
	});

	it('treats Meta’s marketing opt-out as withdrawal without a reply; opt-in goes to staff', async () => {
		await handle(message(PHONE, { text: 'start' }));
		const stop = message(PHONE, {
			type: 'preference',
			preference: { category: 'marketing_messages', value: 'stop' },
		});
		const result = await handle(stop);
		expect(result).toMatchObject({
			route: 'unsubscribed',
			action: 'unsubscribed',
			keyword: 'preference:marketing_messages:stop',
			replyText: null,
		});
		expect(await each.store.countSubscribers()).toBe(0);
		const resume = message(PHONE, {
			type: 'preference',
			preference: { category: 'marketing_messages', value: 'resume' },
		});
		expect(await handle(resume)).toMatchObject({
			route: 'other',
			action: 'preference_resume',
			replyText: null,
		});
		expect(await each.store.countSubscribers()).toBe(0);
	});

	it('uses configured reply texts and the timestamp when no ISO time is given', async () => {
		const custom = {
			...options,
			texts: replyTexts([
				{ language: 'de', kind: 'subscribed', text: 'Hallo {pseudonym} seit {since} {unknown}' },
			]),
		};
		const start = message(PHONE, { text: 'start', time: undefined, timestamp: '1763892000' });
		const result = await handle(start, custom);
		expect(result.replyText).toBe('Hallo Gast_0001 seit 23. November 2025 {unknown}');
	});

	it('refuses an item without a sealed sender, and a token sealed with another key', async () => {
		await expect(handle({ type: 'text', text: 'start' } as InboundMessage)).rejects.toThrow(
			new InputError(
				'The item has no `sender`: connect the Messages output of the WhatsApp Broadcast Trigger',
			),
		);
		await expect(handle({ sender: PHONE, type: 'text', text: 'start' })).rejects.toThrow(
			/not a sealed sender/,
		);
		const foreign = sealSender(derivePrivacyKeys('some-other-key-0123456789'), { phone: PHONE });
		await expect(handle({ sender: foreign, type: 'text', text: 'start' })).rejects.toBeInstanceOf(
			DecryptionError,
		);
		expect(await each.store.countSubscribers()).toBe(0);
	});

	it('handles a sender known only by business-scoped user ID (no number)', async () => {
		const sender = sealSender(keys, { userId: 'DE.1234567890' });
		const joined = await handle({ sender, type: 'text', text: 'start' });
		expect(joined).toMatchObject({ action: 'subscribed', pseudonym: 'Gast_0001' });
		expect(await each.store.findByPseudonym('Gast_0001')).toMatchObject({
			hasPhone: false,
			hasUserId: true,
		});
		const withNumber = sealSender(keys, { userId: 'DE.1234567890', phone: PHONE });
		const left = await handle({ sender: withNumber, type: 'text', text: 'stop' });
		expect(left.action).toBe('unsubscribed');
		expect(await each.store.countSubscribers()).toBe(0);
	});

	it('never returns the number in any result', async () => {
		const results = [];
		for (const text of ['start', 'info', 'hilfe', 'what?', 'stop', 'stop'])
			results.push(await handle(message(PHONE, { text })));
		const serialised = JSON.stringify(results.map((r) => ({ ...r, sender: 'sealed' })));
		expect(findPhoneLeaks(serialised, [PHONE])).toEqual([]);
	});
});
