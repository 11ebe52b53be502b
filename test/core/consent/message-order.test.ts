import {
	KeywordParser,
	processMessage,
	replyTexts,
	type InboundMessage,
	type ProcessOptions,
} from '../../../nodes/core/consent';
import { sealMessageId, sealSender } from '../../../nodes/core/privacy/sealer';
import type { ReceivedEvent } from '../../../nodes/core/store';
import { makeWamid } from '../../../simulator/wamid';
import { storePerTest, tempPostgres } from '../../support/temp-store';
import { testKeys as keys } from '../../support/test-key';

const PHONE = '4915790317264';
const options: ProcessOptions = {
	parser: new KeywordParser(),
	texts: replyTexts(),
	defaultLanguage: 'de',
	textVersion: 'v1',
	serviceName: 'Stadtinfo',
};

let serial = 0;
function message(
	text: string,
	minute: number,
	fields: Partial<InboundMessage> = {},
): InboundMessage {
	return {
		sender: sealSender(keys, { phone: PHONE }),
		messageId: sealMessageId(keys, makeWamid(PHONE, ++serial)),
		time: new Date(Date.UTC(2026, 10, 20, 9, minute)).toISOString(),
		type: 'text',
		text,
		...fields,
	};
}

describe.each([
	['SQLite', undefined],
	['PostgreSQL', tempPostgres],
] as const)('Process Message in WhatsApp’s time order (%s)', (_, make) => {
	const each = storePerTest(make);
	const handle = (m: InboundMessage) => processMessage(each.store, keys, m, options);
	const subscribed = async () => (await each.store.findByIdentity({ phone: PHONE })) !== undefined;

	/** Keeps the message in the inbox as the trigger does; returns it with its `inbox` reference. */
	async function kept(m: InboundMessage, key: string): Promise<InboundMessage> {
		const item = { ...m, inbox: `pending-${key}` };
		const event: ReceivedEvent = { key, inbox: { item, sentAt: new Date(m.time!) } };
		await each.store.receiveEvents([event]);
		const [entry] = await each.store.pendingInbox({ olderThanMs: 0, limit: 1 });
		return { ...m, inbox: entry.ref };
	}

	it('a late Start older than the applied Stop goes to Other as stale: no welcome, no text for staff', async () => {
		await handle(message('Start', 1));
		expect((await handle(message('Stop', 3))).action).toBe('unsubscribed');
		const late = await handle(message('Start', 2));
		expect(late).toMatchObject({ route: 'other', action: 'stale', replyText: null });
		expect(late.reason).toMatch(/later Start or Stop/);
		expect(late.text).toBeUndefined();
		expect(late.pseudonym).toBeUndefined();
		expect(await subscribed()).toBe(false);
	});

	it('a late Stop older than the applied Start leaves the person subscribed, with no goodbye', async () => {
		await handle(message('Start', 5));
		const late = await handle(message('Stop', 4));
		expect(late).toMatchObject({ route: 'other', action: 'stale', replyText: null });
		expect(await subscribed()).toBe(true);
	});

	it('equal timestamps: the Stop wins in either order', async () => {
		await handle(message('Start', 1));
		await handle(message('Stop', 1));
		expect(await subscribed()).toBe(false);
		expect((await handle(message('Start', 2))).action).toBe('subscribed');
		expect((await handle(message('Start', 4))).action).toBe('already_subscribed');
		await handle(message('Stop', 4));
		expect(await subscribed()).toBe(false);
		// A marketing opt-out is a Stop too, and a Start at its time loses to it.
		await handle(message('Start', 6));
		await handle(
			message('', 7, {
				type: 'preference',
				preference: { category: 'marketing_messages', value: 'stop' },
			}),
		);
		expect((await handle(message('Start', 7))).action).toBe('stale');
		expect(await subscribed()).toBe(false);
	});

	it('closes the inbox row of a Start and of a question; the same item twice is processed once', async () => {
		const start = await kept(message('Start', 1), 'm:1');
		expect((await handle(start)).action).toBe('subscribed');
		expect(await handle(start)).toMatchObject({
			route: 'other',
			action: 'already_processed',
			replyText: null,
		});
		const question = await kept(message('Wann kommt der Sperrmüll?', 2), 'm:2');
		expect((await handle(question)).text).toBe('Wann kommt der Sperrmüll?');
		const again = await handle(question);
		expect(again).toMatchObject({ action: 'already_processed' });
		expect(again.text).toBeUndefined();
		expect(await each.store.pendingInbox({ olderThanMs: 0, limit: 10 })).toEqual([]);
	});

	it('applies an item whose inbox row is gone (pruned): at least once, and a Start again is harmless', async () => {
		expect((await handle(message('Start', 1, { inbox: 'gone-row-ref-000000000' }))).action).toBe(
			'subscribed',
		);
		expect((await handle(message('Start', 1, { inbox: 'gone-row-ref-000000000' }))).action).toBe(
			'already_subscribed',
		);
	});
});
