import { derivePrivacyKeys } from '../../../nodes/core/privacy/keys';
import {
	isSealedMessageId,
	isSealedSender,
	openMessageId,
	openSender,
} from '../../../nodes/core/privacy/sealer';
import { parseEvents, toItems } from '../../../nodes/core/webhook';
import { findPhoneLeaks } from '../../support/privacy';
import { testKeys as keys } from '../../support/test-key';
import {
	CITIZEN,
	everyEvent,
	everyMessageType,
	everyStatus,
	NOW_SECONDS,
	OTHER_CITIZEN,
	preferenceChange,
	USER_ID,
	wamidFor,
} from './fixtures';

const body = everyEvent(preferenceChange('stop', { wa_id: CITIZEN, user_id: USER_ID }));
const events = parseEvents(body).events;

describe('toItems', () => {
	const items = toItems(events, keys);

	it('puts messages and preferences on Messages and statuses on Statuses', () => {
		expect(items.messages).toHaveLength(everyMessageType().length + 1);
		expect(items.statuses).toHaveLength(everyStatus().length);
		expect(items.messages.at(-1)).toMatchObject({
			type: 'preference',
			preference: { category: 'marketing_messages', value: 'stop' },
			hasUserId: true,
			time: new Date((NOW_SECONDS + 50) * 1000).toISOString(),
		});
	});

	it('seals the sender, the recipient and every wamid, and they open to the originals', () => {
		const [text, button] = items.messages;
		expect(isSealedSender(text.sender)).toBe(true);
		expect(openSender(keys, text.sender)).toEqual({ phone: CITIZEN, userId: undefined });
		expect(isSealedMessageId(text.messageId)).toBe(true);
		expect(openMessageId(keys, text.messageId)).toBe(wamidFor(CITIZEN, 1));
		expect(openMessageId(keys, button.contextId!)).toBe(wamidFor(CITIZEN, 900));
		const reaction = items.messages.find((m) => m.type === 'reaction')!;
		expect(openMessageId(keys, reaction.reaction!.messageId)).toBe(wamidFor(CITIZEN, 901));
		const preference = items.messages.at(-1)!;
		expect(openSender(keys, preference.sender)).toEqual({ phone: CITIZEN, userId: USER_ID });
		const [sent] = items.statuses;
		expect(openSender(keys, sent.recipient!)).toEqual({ phone: CITIZEN, userId: undefined });
		expect(openMessageId(keys, sent.messageId)).toBe(wamidFor(CITIZEN, 100));
		// A random IV: the same wamid seals differently each time, so tokens cannot be correlated.
		expect(items.statuses[0].messageId).not.toBe(items.statuses[1].messageId);
	});

	it('emits the documented fields of a text message and a status, nothing undefined', () => {
		expect(Object.keys(items.messages[0]).sort()).toEqual(
			[
				'hasUserId',
				'messageId',
				'phoneNumberId',
				'sender',
				'text',
				'time',
				'timestamp',
				'type',
			].sort(),
		);
		expect(items.messages[1]).toMatchObject({ type: 'button', text: 'Abmelden', payload: 'STOP' });
		expect(items.statuses[0]).toMatchObject({
			status: 'sent',
			pricingCategory: 'marketing',
			bizOpaqueCallbackData: 'broadcast:42',
			errors: [],
			time: new Date((NOW_SECONDS + 100) * 1000).toISOString(),
		});
		expect(items.statuses[3].errors).toEqual([
			{ code: 131050, title: 'User stopped marketing messages' },
		]);
		expect(JSON.stringify(items)).not.toContain('undefined');
	});

	it('drops the profile name unless asked to keep it', () => {
		expect(JSON.stringify(items)).not.toContain('Erika');
		expect(toItems(events, keys, { keepProfileName: true }).messages[0].profileName).toBe(
			'Erika Muster',
		);
	});

	it('contains no form of the citizen’s number, nor of a third party’s', () => {
		const serialised = JSON.stringify(items);
		expect(findPhoneLeaks(serialised, [CITIZEN, OTHER_CITIZEN])).toEqual([]);
		// Guard the guard: the same check finds the number in what Meta sent.
		expect(findPhoneLeaks(JSON.stringify(body), [CITIZEN]).length).toBeGreaterThan(0);
	});

	it('opens plain wamids unchanged, for callers that never sealed them', () => {
		expect(openMessageId(keys, 'wamid.PLAIN')).toBe('wamid.PLAIN');
		const otherKeys = derivePrivacyKeys('another-data-protection-key!!');
		expect(() => openMessageId(otherKeys, items.messages[0].messageId)).toThrow(
			/data-protection key/,
		);
	});
});
