import type { IDataObject, INodeParameters, INodeType } from 'n8n-workflow';

import { ConsentStore } from '../../nodes/ConsentStore/ConsentStore.node';
import { WhatsAppBroadcast } from '../../nodes/WhatsAppBroadcast/WhatsAppBroadcast.node';
import { startRig, type Rig } from '../core/broadcast/support';
import { runSingleNode, type WorkflowRun } from '../harness';
import { TYPED_DIGITS, TYPED_PHONES, type TypedPhone } from '../support/formatted-phones';
import { captureN8nLogs } from '../support/n8n-logs';
import { findPhoneLeaks } from '../support/privacy';

/**
 * Every field that takes a recipient or a phone number gets phone numbers as staff type them
 * (spaced, bracketed, slashed, dashed, NBSP, national and international), readable and broken
 * (too long), with Continue On Fail on and off, typed into the field and mapped from an item. No
 * digit run of them may appear in the node's output, in the error n8n keeps with the failed
 * execution, or in anything n8n logs while the node runs.
 */

/** How a value reaches the field: typed into it, or mapped from the input item by an expression. */
type Entry = 'typed' | 'mapped';

interface FieldCase {
	name: string;
	node: () => INodeType;
	/** The node's parameters, with `value` in the field under test. */
	parameters(value: string, phone: TypedPhone): INodeParameters;
	/** Cases where the value travels in the item itself (Process Message reads the trigger's item). */
	item?(value: string): IDataObject;
	/** How the value can reach the field; both unless the value travels in the item. */
	entries?: Entry[];
	/** What the node must have done, so the test cannot pass by doing nothing. */
	expect(run: WorkflowRun, phone: TypedPhone, value: string): void;
}

const CONSENT = () => new ConsentStore();
const BROADCAST = () => new WhatsAppBroadcast();
const NODE = 'Node';

/** The readable form and one that cannot be read (too long), still with the number's digits in it. */
const variants = (phone: TypedPhone) => [phone.typed, `${phone.typed} 0000 0000`];

const csv = (value: string) => `phone;language\n${value};de\n`;
const vcard = (value: string) =>
	`BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Gast_0701\r\nTEL;TYPE=CELL:${value}\r\nEND:VCARD\r\n`;

/** The first item's JSON or, when the node stopped, its error message. */
function outcome(run: WorkflowRun): IDataObject | string {
	return run.error ? run.error.message : run.json(NODE)[0];
}

const CASES: FieldCase[] = [
	{
		name: 'Consent Store · Subscribe · Phone Number',
		node: CONSENT,
		parameters: (value, phone) => ({
			operation: 'subscribe',
			phone: value,
			defaultRegion: phone.region,
		}),
		expect: (run, phone, value) => {
			const result = outcome(run);
			if (value === phone.typed) expect(result).toMatchObject({ pseudonym: /^Gast_\d{4}$/ });
			else expect(JSON.stringify(result)).toMatch(/phone number/);
		},
	},
	{
		name: 'Consent Store · Unsubscribe · Phone Number',
		node: CONSENT,
		parameters: (value, phone) => ({
			operation: 'unsubscribe',
			identifyBy: 'phone',
			phone: value,
			defaultRegion: phone.region,
		}),
		expect: (run, phone, value) => {
			const result = outcome(run);
			if (value === phone.typed) expect(result).toMatchObject({ action: /subscribed$/ });
			else expect(JSON.stringify(result)).toMatch(/phone number/);
		},
	},
	{
		name: 'Consent Store · Unsubscribe · Pseudonym',
		node: CONSENT,
		parameters: (value) => ({
			operation: 'unsubscribe',
			identifyBy: 'pseudonym',
			pseudonym: value,
		}),
		expect: (run) => expect(outcome(run)).toEqual({ action: 'not_subscribed' }),
	},
	{
		name: 'Consent Store · Look Up · Pseudonym',
		node: CONSENT,
		parameters: (value) => ({ operation: 'lookUp', pseudonym: value }),
		expect: (run) => expect(outcome(run)).toMatchObject({ found: false }),
	},
	{
		name: 'Consent Store · Import · Contacts (CSV, import nothing on invalid lines)',
		node: CONSENT,
		parameters: (value, phone) => ({
			operation: 'import',
			inputSource: 'text',
			contacts: csv(value),
			defaultRegion: phone.region,
			onInvalid: 'abort',
		}),
		expect: (run, phone, value) => {
			const result = outcome(run);
			if (value === phone.typed) expect(result).toHaveProperty('imported');
			else expect(JSON.stringify(result)).toMatch(/line 2/i);
		},
	},
	{
		name: 'Consent Store · Import · Contacts (vCard, skip invalid lines)',
		node: CONSENT,
		parameters: (value, phone) => ({
			operation: 'import',
			inputSource: 'text',
			contacts: vcard(value),
			format: 'vcard',
			defaultRegion: phone.region,
			onInvalid: 'skip',
		}),
		expect: (run, phone, value) => {
			const result = outcome(run) as IDataObject;
			if (value === phone.typed) expect(result).toHaveProperty('imported');
			else expect(result.invalidLines).toHaveLength(1);
		},
	},
	{
		name: 'Consent Store · Process Message · sender',
		node: CONSENT,
		parameters: () => ({ operation: 'processMessage' }),
		item: (value) => ({ sender: value, type: 'text', text: 'Start', time: '2026-11-20T09:30:00Z' }),
		entries: ['mapped'],
		expect: (run) => {
			// Not a sealed sender: the item goes to Other with an error, or the node stops.
			const other = run.json(NODE, 3)[0] ?? run.error?.message;
			expect(JSON.stringify(other)).toMatch(/not a sealed sender/);
		},
	},
	{
		name: 'WhatsApp Broadcast · Reply · Recipient',
		node: BROADCAST,
		parameters: (value) => ({ operation: 'reply', recipient: value, replyText: 'Hallo' }),
		expect: (run) =>
			expect(JSON.stringify(outcome(run))).toMatch(/The recipient looks like a phone number/),
	},
	{
		name: 'WhatsApp Broadcast · Reply · Recipient (inside other text)',
		node: BROADCAST,
		parameters: (value) => ({ operation: 'reply', recipient: `Tel. ${value}`, replyText: 'Hallo' }),
		expect: (run) =>
			expect(JSON.stringify(outcome(run))).toMatch(/The recipient is not a known pseudonym/),
	},
	{
		name: 'WhatsApp Broadcast · Record Status · Message ID',
		node: BROADCAST,
		parameters: (value) => ({ operation: 'recordStatus', messageId: value, status: 'read' }),
		expect: (run) => expect(outcome(run)).toMatchObject({ result: 'unknown_message' }),
	},
];

/** Field values as an expression over the item, so the workflow itself holds no number. */
function mapped(parameters: INodeParameters, value: string): INodeParameters {
	return Object.fromEntries(
		Object.entries(parameters).map(([key, v]) => [
			key,
			typeof v === 'string' && v.includes(value)
				? `={{ ${JSON.stringify(v.split(value)[0])} + $json.value + ${JSON.stringify(v.split(value).slice(1).join(value))} }}`
				: v,
		]),
	);
}

/**
 * What n8n keeps and shows of a run: outputs, the error of the node and of the run (message,
 * description, stack). A value typed into a field is part of the workflow, which n8n stores as
 * the node's parameters next to the error; those parameters are not the node's doing and are
 * left out. Mapped values leave nothing to leave out.
 */
function evidence(run: WorkflowRun): string {
	return JSON.stringify(run.run.data.resultData, (key, v: unknown) => {
		if (key === 'node' && v && typeof v === 'object' && 'parameters' in v) return '[node]';
		if (v instanceof Error) return { ...v, message: v.message, stack: v.stack };
		return v;
	});
}

describe('no phone number typed into a recipient or phone field reappears', () => {
	let rig: Rig;
	beforeAll(async () => (rig = await startRig()));
	afterAll(async () => rig.close());

	const run = (
		field: FieldCase,
		phone: TypedPhone,
		value: string,
		entry: Entry,
		continueOnFail: boolean,
	) => {
		const typedParameters = field.parameters(value, phone);
		const parameters = entry === 'typed' ? typedParameters : mapped(typedParameters, value);
		const item = field.item ? field.item(value) : entry === 'mapped' ? { value } : {};
		return runSingleNode(field.node(), {
			name: NODE,
			parameters,
			items: [{ json: item }],
			onError: continueOnFail ? 'continueRegularOutput' : undefined,
			credentials: {
				consentStoreDb: rig.db.credential,
				whatsAppBroadcastApi: {
					accessToken: rig.sim.config.accessToken,
					phoneNumberId: rig.sim.config.phoneNumberId,
					baseUrl: rig.sim.baseUrl,
				},
			},
		});
	};

	describe.each(CASES)('$name', (field) => {
		const modes = (field.entries ?? ['typed', 'mapped']).flatMap((entry) =>
			[false, true].map((continueOnFail) => [entry, continueOnFail] as [Entry, boolean]),
		);
		it.each(modes)('%s into the field, Continue On Fail %s', async (entry, continueOnFail) => {
			const leaks: string[] = [];
			for (const phone of TYPED_PHONES) {
				for (const value of variants(phone)) {
					const logs = captureN8nLogs();
					let result: WorkflowRun;
					try {
						result = await run(field, phone, value, entry, continueOnFail);
					} finally {
						logs.stop();
					}
					field.expect(result, phone, value);
					// n8n's engine logged the run (debug lines at least): the capture works.
					expect(logs.entries.length).toBeGreaterThan(0);
					// The finder knows this value as the number: it would see it if it leaked.
					expect(findPhoneLeaks(JSON.stringify({ value }), [phone.digits])).not.toEqual([]);
					const seen = `${evidence(result)}\n${logs.text()}`;
					leaks.push(...findPhoneLeaks(seen, TYPED_DIGITS).map((l) => `${value}: ${l}`));
				}
			}
			expect(leaks).toEqual([]);
			expect(rig.sim.counters().requests).toBe(0);
		});
	});
});
