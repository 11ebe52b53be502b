import { normalizePhone } from '../../../nodes/core/phone';
import { receiveDelivery, type DeliverySettings } from '../../../nodes/core/webhook';
import { isPlausibleNumber, isWellFormedBsuid } from '../../../nodes/core/webhook/identity';
import { TEST_KEY } from '../../support/test-key';
import {
	CITIZEN,
	envelope,
	messagesChange,
	NOW_SECONDS,
	OTHER_CITIZEN,
	preferenceChange,
	status,
	USER_ID,
	wamidFor,
} from './fixtures';

/** Senders the fuzzing in a real n8n turned into subscribers, and other junk. */
const JUNK_NUMBERS: Array<[string, string]> = [
	['0', '0'],
	['1', '1'],
	['15', '15'],
	['30 digits', '123456789012345678901234567890'],
	['205 digits', '4'.repeat(205)],
	['letters', 'abcdefghijk'],
	['digits with letters', '49151abc45678'],
	['a + sign', `+${CITIZEN}`],
	['an invalid German number', '4900000000000'],
];
const MALFORMED_BSUIDS = [
	'DE1502576394655843',
	'DEU.1502576394655843',
	'de.1502576394655843',
	'DE.',
	'DE.15025-76394',
	`DE.${'1'.repeat(129)}`,
	'.1502576394655843',
];
const GOOD_NUMBERS = [CITIZEN, OTHER_CITIZEN, '4930123456', '43664123456'];
const GOOD_BSUIDS = [USER_ID, 'DE.1502576394655843', 'US.13491208655302741918', 'SI.abc123XYZ'];

function settings(): DeliverySettings {
	const record = {};
	return {
		dataProtectionKey: async () => TEST_KEY,
		dedupe: { kind: 'record', record: () => record, maxEntries: 100 },
		now: new Date(NOW_SECONDS * 1000),
	};
}

function textFrom(who: { from?: string; from_user_id?: string }, serial = 1) {
	return {
		...who,
		id: wamidFor(CITIZEN, serial),
		timestamp: String(NOW_SECONDS),
		type: 'text' as const,
		text: { body: 'Start' },
	};
}

/** One text message from `who`, with a contact entry that names the same identity. */
function deliveryFrom(who: { from?: string; from_user_id?: string }) {
	return envelope([
		messagesChange({
			messages: [textFrom(who) as never],
			contacts: [{ wa_id: who.from, user_id: who.from_user_id, profile: { name: 'X' } }],
		}),
	]);
}

describe('plausible identities', () => {
	it.each(GOOD_NUMBERS)('accepts the valid number %s', (digits) => {
		expect(isPlausibleNumber(digits)).toBe(true);
	});

	it.each([...JUNK_NUMBERS, ['empty', '']])('refuses %s as a number', (_, digits) => {
		expect(isPlausibleNumber(digits)).toBe(false);
	});

	it.each(GOOD_BSUIDS)('accepts the user ID %s', (id) => {
		expect(isWellFormedBsuid(id)).toBe(true);
	});

	it.each([...MALFORMED_BSUIDS, '', CITIZEN])('refuses the user ID %s', (id) => {
		expect(isWellFormedBsuid(id)).toBe(false);
	});
});

describe('receiveDelivery drops implausible senders and recipients', () => {
	it.each(JUNK_NUMBERS)(
		'drops a message from %s: nothing sealed, nothing emitted',
		async (_, from) => {
			const outcome = await receiveDelivery(deliveryFrom({ from }), settings());
			expect(outcome).toEqual({
				kind: 'nothing-selected',
				counts: expect.objectContaining({ events: 0, implausible_sender: 1 }),
			});
		},
	);

	it('drops a message with an empty sender (counted as malformed: no identity at all)', async () => {
		const outcome = await receiveDelivery(deliveryFrom({ from: '' }), settings());
		expect(outcome).toMatchObject({ kind: 'nothing-selected', counts: { malformed_message: 1 } });
	});

	it.each(MALFORMED_BSUIDS)('drops a message from the malformed user ID %s', async (id) => {
		const outcome = await receiveDelivery(deliveryFrom({ from_user_id: id }), settings());
		expect(outcome).toMatchObject({ kind: 'nothing-selected', counts: { implausible_sender: 1 } });
	});

	it('drops a message whose number is junk even when its user ID is well formed', async () => {
		const outcome = await receiveDelivery(
			deliveryFrom({ from: '15', from_user_id: USER_ID }),
			settings(),
		);
		expect(outcome).toMatchObject({ kind: 'nothing-selected', counts: { implausible_sender: 1 } });
	});

	it('drops a marketing preference from a junk number, and a status for a junk recipient', async () => {
		const body = envelope([
			messagesChange({ statuses: [status(1, 'delivered', { recipient_id: '1'.repeat(30) })] }),
			preferenceChange('stop', { wa_id: '0' }),
		]);
		const outcome = await receiveDelivery(body, settings());
		expect(outcome).toMatchObject({
			kind: 'nothing-selected',
			counts: { events: 0, implausible_sender: 1, implausible_recipient: 1 },
		});
	});

	it.each([
		['a German number', { from: CITIZEN }],
		['a Slovenian number', { from: OTHER_CITIZEN }],
		['a user ID alone', { from_user_id: 'DE.1502576394655843' }],
		['a number with a user ID', { from: CITIZEN, from_user_id: USER_ID }],
	])('keeps a message from %s', async (_, who) => {
		const outcome = await receiveDelivery(deliveryFrom(who), settings());
		expect(outcome.kind).toBe('items');
		if (outcome.kind !== 'items') return;
		expect(outcome.items.messages).toHaveLength(1);
		expect(outcome.counts).not.toHaveProperty('implausible_sender');
	});

	it('keeps the good events of a delivery that also carries junk', async () => {
		const body = envelope([
			messagesChange({
				messages: [textFrom({ from: '1' }, 1), textFrom({ from: OTHER_CITIZEN }, 2)] as never,
				statuses: [status(3, 'read'), status(4, 'read', { recipient_id: '15' })],
			}),
		]);
		const outcome = await receiveDelivery(body, settings());
		expect(outcome).toMatchObject({
			kind: 'items',
			counts: { implausible_sender: 1, implausible_recipient: 1, messages: 1, statuses: 1 },
		});
	});

	it('keeps a status that names no recipient at all, as before', async () => {
		const noRecipient = { ...status(5, 'sent'), recipient_id: undefined };
		const outcome = await receiveDelivery(
			envelope([messagesChange({ statuses: [noRecipient] })]),
			settings(),
		);
		expect(outcome).toMatchObject({ kind: 'items', counts: { statuses: 1 } });
	});
});

describe('the Consent Store phone guard refuses the same junk', () => {
	it.each([
		['0', '0'],
		['1', '1'],
		['15', '15'],
		['30 digits', '1'.repeat(30)],
		['205 digits', '4'.repeat(205)],
		['letters', 'abcdefghijk'],
		['empty', ''],
	])('%s, with or without a default region', (_, typed) => {
		expect(() => normalizePhone(typed)).toThrow(/phone number/);
		expect(() => normalizePhone(typed, 'DE')).toThrow(/phone number/);
	});
});
