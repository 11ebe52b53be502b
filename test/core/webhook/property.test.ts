import fc from 'fast-check';

import { parseEvents, selectEvents, toItems } from '../../../nodes/core/webhook';
import { serializeLikeMeta } from '../../../simulator';
import { findPhoneLeaks, phoneForms } from '../../support/privacy';
import { testKeys as keys } from '../../support/test-key';
import { envelopeArb, mutate, mutationsArb, phoneArb } from './arbitraries';

/** Parse → select → items, as the trigger does; returns the serialised items. */
function process(body: unknown): string {
	const { events } = parseEvents(body);
	const { kept } = selectEvents(events, { now: Date.now() });
	return JSON.stringify(toItems(kept, keys, { keepProfileName: false }));
}

/** Random JSON that happens to contain the number would be a leak we planted ourselves. */
const clean = (phone: string, value: unknown) =>
	!phoneForms(phone).some((form) => JSON.stringify(value ?? null).includes(form));

describe('webhook core under random and mutated payloads', () => {
	it('never throws and never emits the sender’s number, for well-formed deliveries', () => {
		fc.assert(
			fc.property(
				phoneArb.chain((phone) => fc.tuple(fc.constant(phone), envelopeArb(phone))),
				([phone, body]) => {
					const serialised = process(JSON.parse(serializeLikeMeta(body)));
					expect(findPhoneLeaks(serialised, [phone])).toEqual([]);
				},
			),
			{ numRuns: 300 },
		);
	});

	it('never throws and never emits the sender’s number, for damaged deliveries', () => {
		fc.assert(
			fc.property(
				phoneArb.chain((phone) => fc.tuple(fc.constant(phone), envelopeArb(phone), mutationsArb)),
				([phone, body, mutations]) => {
					fc.pre(mutations.every((m) => clean(phone, m.value)));
					const serialised = process(mutate(body, mutations));
					expect(findPhoneLeaks(serialised, [phone])).toEqual([]);
				},
			),
			{ numRuns: 500 },
		);
	});

	it('never throws for arbitrary JSON', () => {
		fc.assert(
			fc.property(fc.jsonValue(), (value) => {
				process(value);
				process({ object: 'whatsapp_business_account', entry: value });
				process({ object: 'whatsapp_business_account', entry: [{ changes: value }] });
				process({
					object: 'whatsapp_business_account',
					entry: [{ changes: [{ field: 'messages', value }] }],
				});
			}),
			{ numRuns: 300 },
		);
	});
});
