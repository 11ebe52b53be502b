import type { INodeParameters } from 'n8n-workflow';

import { serializeLikeMeta, signBody } from '../../../simulator';
import { findPhoneLeaks } from '../../support/privacy';
import {
	CITIZEN,
	envelope,
	everyMessageType,
	everyStatus,
	messagesChange,
	preferenceChange,
	wamidFor,
} from '../../core/webhook/fixtures';
import { APP_SECRET, triggerRunner, type TriggerSetup } from './support';

/** POSTs a body signed with the app secret (or the given header) through the runner. */
function post(
	setup: TriggerSetup,
	body: string | Buffer,
	options: { signature?: string; contentType?: string } = {},
) {
	return setup.runner.call({
		method: 'POST',
		headers: {
			'content-type': options.contentType ?? 'application/json',
			'x-hub-signature-256': options.signature ?? signBody(body, APP_SECRET),
		},
		body,
	});
}

/** A delivery whose messages are `minutesAgo` old. */
function freshDelivery(minutesAgo = 0, serialBase = 0): string {
	const seconds = Math.floor(Date.now() / 1000) - minutesAgo * 60;
	const messages = everyMessageType().map((m, i) => ({
		...m,
		id: wamidFor(CITIZEN, serialBase + i),
		timestamp: String(seconds),
	}));
	const statuses = everyStatus().map((s, i) => ({
		...s,
		id: wamidFor(CITIZEN, serialBase + 500 + i),
	}));
	return serializeLikeMeta(
		envelope([messagesChange({ messages, statuses })], [preferenceChange('stop')]),
	);
}

describe('WhatsApp Broadcast Trigger: junk never starts an execution', () => {
	let setup: TriggerSetup;
	beforeAll(() => {
		setup = triggerRunner();
	});
	afterAll(() => setup.dispose());

	it('answers 400 to a signed body that is not JSON when n8n has not parsed it (text/plain)', async () => {
		const outcome = await post(setup, '{"object":', { contentType: 'text/plain' });
		expect(outcome).toMatchObject({ status: 400, executionStarted: false, nodeInvoked: true });
		expect(setup.runner.logs.at(-1)?.message).toMatch(/not valid JSON/);
	});

	it('is not even reached by malformed application/json: n8n itself answers 422', async () => {
		const outcome = await post(setup, '{"object":');
		expect(outcome).toMatchObject({ status: 422, executionStarted: false, nodeInvoked: false });
	});

	it('checks the signature before parsing: unsigned junk gets 401', async () => {
		const outcome = await post(setup, 'not json', {
			contentType: 'text/plain',
			signature: 'sha256=00',
		});
		expect(outcome.status).toBe(401);
	});

	it.each([
		['another object', { object: 'page', entry: [{ id: '1', changes: [] }] }],
		[
			'an unknown change field',
			{
				object: 'whatsapp_business_account',
				entry: [{ id: '1', changes: [{ field: 'account_update', value: { event: 'X' } }] }],
			},
		],
		['no entries', { object: 'whatsapp_business_account', entry: [] }],
		['a JSON array', [1, 2, 3]],
		[
			'malformed messages',
			{
				object: 'whatsapp_business_account',
				entry: [
					{
						id: '1',
						changes: [{ field: 'messages', value: { messages: [{ id: 5 }], statuses: 'x' } }],
					},
				],
			},
		],
	])('answers 200 to %s and starts nothing', async (_label, body) => {
		const outcome = await post(setup, JSON.stringify(body));
		expect(outcome).toMatchObject({ status: 200, body: 'OK', executionStarted: false });
	});

	it('refuses a body far above Meta’s 3 MB with 413, but processes a 3 MB delivery', async () => {
		const huge = JSON.stringify({
			object: 'whatsapp_business_account',
			entry: [],
			pad: 'x'.repeat(9 * 1024 * 1024),
		});
		expect((await post(setup, huge)).status).toBe(413);
		const seconds = String(Math.floor(Date.now() / 1000));
		const big = serializeLikeMeta(
			envelope([
				messagesChange({
					messages: [
						{
							from: CITIZEN,
							id: wamidFor(CITIZEN, 77_777),
							timestamp: seconds,
							type: 'text',
							text: { body: 'x'.repeat(3 * 1024 * 1024 - 2000) },
						},
					],
				}),
			]),
		);
		const outcome = await post(setup, big);
		expect(outcome).toMatchObject({ status: 200, executionStarted: true });
		expect(outcome.output(0)).toHaveLength(1);
	});

	it('logs counts only, never a number or a wamid', async () => {
		await post(setup, freshDelivery(0, 1000));
		const logs = JSON.stringify(setup.runner.logs);
		expect(findPhoneLeaks(logs, [CITIZEN])).toEqual([]);
		expect(logs).not.toContain('wamid');
		expect(setup.runner.logs.at(-1)).toMatchObject({
			level: 'info',
			metadata: expect.objectContaining({ events: 21, messages: 16, statuses: 5 }),
		});
	});

	it('accepts a signed body that starts with a byte-order mark, as n8n’s parser does', async () => {
		const outcome = await post(setup, '\uFEFF' + freshDelivery(0, 2000));
		expect(outcome).toMatchObject({ status: 200, executionStarted: true });
		expect(outcome.output(1)).toHaveLength(5);
	});
});

describe('WhatsApp Broadcast Trigger: options', () => {
	const withOptions = (options: INodeParameters, staticData?: object) =>
		triggerRunner({ parameters: { options }, staticData: staticData as never });

	it('emits only the chosen message types and statuses', async () => {
		const setup = withOptions({ messageTypes: ['text', 'preference'], statuses: ['failed'] });
		try {
			const outcome = await post(setup, freshDelivery());
			expect(outcome.output(0).map((i) => i.type)).toEqual(['text', 'preference']);
			expect(outcome.output(1).map((i) => i.status)).toEqual(['failed']);
		} finally {
			await setup.dispose();
		}
	});

	it('ignores messages older than the limit (Meta retries for days) but keeps statuses', async () => {
		const setup = withOptions({ maxAgeMinutes: 60 });
		try {
			const outcome = await post(setup, freshDelivery(61 * 24));
			expect(outcome.output(0)).toEqual([]);
			expect(outcome.output(1)).toHaveLength(5);
			const recent = await post(setup, freshDelivery(59, 3000));
			// The fixture's preference update carries a fixed time in the past: dropped as old too.
			expect(recent.output(0).map((i) => i.type)).toEqual(everyMessageType().map((m) => m.type));
		} finally {
			await setup.dispose();
		}
	});

	it('keeps the profile name only when asked', async () => {
		const setup = withOptions({ keepProfileName: true });
		try {
			const outcome = await post(setup, freshDelivery());
			expect(outcome.output(0)[0].profileName).toBe('Erika Muster');
		} finally {
			await setup.dispose();
		}
	});

	it('ignores events of another phone number of the same account', async () => {
		const setup = triggerRunner();
		try {
			const other = freshDelivery().replace(/100000000000001/g, '100000000000009');
			const outcome = await post(setup, other);
			expect(outcome).toMatchObject({ status: 200, executionStarted: false });
		} finally {
			await setup.dispose();
		}
	});

	it('keeps an event that names no phone number at all (no metadata), such as an opt-out', async () => {
		const setup = triggerRunner();
		try {
			const change = preferenceChange('stop');
			delete (change.value as { metadata?: unknown }).metadata;
			const outcome = await post(setup, serializeLikeMeta(envelope([change])));
			expect(outcome.output(0)).toEqual([
				expect.objectContaining({ type: 'preference', phoneNumberId: '' }),
			]);
		} finally {
			await setup.dispose();
		}
	});

	it('dedupes in workflow static data, bounded, holding keyed hashes only', async () => {
		const staticData = {};
		const setup = withOptions(
			{ dedupeStorage: 'staticData', staticDataMaxEntries: 100 },
			staticData,
		);
		try {
			const body = freshDelivery();
			expect((await post(setup, body)).executionStarted).toBe(true);
			expect((await post(setup, body)).executionStarted).toBe(false);
			const stored = JSON.stringify(setup.runner.workflow.staticData);
			const refs = Object.keys(
				(
					setup.runner.workflow.getStaticData('node', setup.runner.node) as {
						processedEvents: object;
					}
				).processedEvents,
			);
			expect(refs).toHaveLength(21);
			expect(findPhoneLeaks(stored, [CITIZEN])).toEqual([]);
			expect(stored).not.toContain('wamid');
			for (let i = 0; i < 6; i++) await post(setup, freshDelivery(0, 10_000 + i * 100));
			const after = setup.runner.workflow.getStaticData('node', setup.runner.node) as {
				processedEvents: object;
			};
			expect(Object.keys(after.processedEvents)).toHaveLength(100);
		} finally {
			await setup.dispose();
		}
	});

	it('answers 500 (Meta retries) when the app secret is missing, and starts nothing', async () => {
		const setup = triggerRunner();
		(
			setup.runner as unknown as {
				options: { credentials: { whatsAppBroadcastApi: { appSecret: string } } };
			}
		).options.credentials.whatsAppBroadcastApi.appSecret = '';
		try {
			const outcome = await post(setup, freshDelivery());
			expect(outcome).toMatchObject({ status: 500, executionStarted: false });
			expect(setup.runner.logs.at(-1)?.message).toMatch(/App Secret is not set/);
		} finally {
			await setup.dispose();
		}
	});
});
