import { openMessageId, openSender } from '../../../nodes/core/privacy/sealer';
import { startSimulator, type Simulator } from '../../../simulator';
import { runSingleNode } from '../../harness';
import { findPhoneLeaks } from '../../support/privacy';
import { testKeys as keys } from '../../support/test-key';
import { send, text } from '../../simulator/support';
import { WhatsAppBroadcastTrigger } from '../../../nodes/WhatsAppBroadcastTrigger/WhatsAppBroadcastTrigger.node';
import { TriggerEndpoint, triggerRunner, type TriggerSetup } from './support';

const ERIKA = '4915112345678';
const MARKO = '38640123456';

describe('WhatsApp Broadcast Trigger fed by the simulator’s signed webhooks', () => {
	let sim: Simulator;
	let setup: TriggerSetup;
	let endpoint: TriggerEndpoint;

	beforeAll(async () => {
		sim = await startSimulator({ rate: 0, pairRate: false });
		setup = triggerRunner({ baseUrl: sim.baseUrl });
		endpoint = await new TriggerEndpoint(setup.runner).start();
		sim.configure({ callbackUrl: endpoint.url });
	});
	afterAll(async () => {
		await sim.stop();
		await endpoint.stop();
		await setup.dispose();
	});
	beforeEach(() => {
		endpoint.outcomes.length = 0;
		sim.reset();
	});

	it('emits a citizen’s text on Messages with a sealed sender and sealed message ID', async () => {
		const wamid = await sim.citizenSends(
			{ from: ERIKA, profileName: 'Erika 😀' },
			{ text: 'Start 👋 / los' },
		);
		expect(sim.deliveries().map((d) => d.status)).toEqual([200]);
		const [item] = endpoint.items(0);
		expect(endpoint.items(1)).toEqual([]);
		expect(item).toMatchObject({
			type: 'text',
			text: 'Start 👋 / los',
			phoneNumberId: sim.config.phoneNumberId,
		});
		expect(openSender(keys, item.sender as string)).toEqual({ phone: ERIKA, userId: undefined });
		expect(openMessageId(keys, item.messageId as string)).toBe(wamid);
		expect(item.profileName).toBeUndefined();
	});

	it('emits button and interactive replies with text and payload, and a username-only user', async () => {
		await sim.citizensSend(
			[
				{
					citizen: { from: ERIKA },
					message: { button: { payload: 'STOP', text: 'Abmelden' }, contextId: 'wamid.TEMPLATE' },
				},
				{
					citizen: { from: MARKO },
					message: { interactive: { id: 'join', title: 'Prijava', kind: 'list_reply' } },
				},
				{ citizen: { userId: 'SI.777' }, message: { text: 'Info' } },
			],
			{ layout: 'single' },
		);
		const items = endpoint.items(0);
		expect(items.map((i) => [i.type, i.text, i.payload])).toEqual([
			['button', 'Abmelden', 'STOP'],
			['interactive', 'Prijava', 'join'],
			['text', 'Info', undefined],
		]);
		expect(openMessageId(keys, items[0].contextId as string)).toBe('wamid.TEMPLATE');
		expect(openSender(keys, items[2].sender as string)).toEqual({
			phone: undefined,
			userId: 'SI.777',
		});
		expect(items[2].hasUserId).toBe(true);
	});

	it('emits statuses of our own messages on Statuses, with pricing and error codes', async () => {
		await sim.citizenSends({ from: ERIKA }, { text: 'Hallo' });
		const reply = await send(sim, text(ERIKA, 'Willkommen'));
		const wamid = reply.body.messages![0].id;
		await sim.emitStatus(wamid, 'delivered');
		await sim.emitStatus(wamid, 'failed', { errorCode: 131026 });
		const statuses = endpoint.items(1);
		expect(statuses.map((s) => s.status)).toEqual(['delivered', 'failed']);
		expect(statuses[0]).toMatchObject({ pricingCategory: 'service', errors: [] });
		expect(statuses[1].errors).toEqual([{ code: 131026, title: expect.any(String) }]);
		expect(openMessageId(keys, statuses[0].messageId as string)).toBe(wamid);
		expect(openSender(keys, statuses[0].recipient as string).phone).toBe(ERIKA);
	});

	it('sends a marketing opt-out to Messages as type preference', async () => {
		await sim.citizenPreference({ from: ERIKA }, 'stop');
		const [item] = endpoint.items(0);
		expect(item).toMatchObject({
			type: 'preference',
			preference: { category: 'marketing_messages', value: 'stop' },
		});
		expect(openSender(keys, item.sender as string).phone).toBe(ERIKA);
	});

	it('emits a message delivered twice (Meta retries) only once, across deliveries', async () => {
		await sim.citizenSends({ from: ERIKA }, { text: 'Stop' }, { twice: true });
		expect(sim.deliveries().map((d) => d.status)).toEqual([200, 200]);
		expect(endpoint.outcomes.map((o) => o.executionStarted)).toEqual([true, false]);
		expect(endpoint.items(0)).toHaveLength(1);
	});

	it('emits nothing for a forged signature and answers 401', async () => {
		const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [] });
		const forged = await sim.webhooks.raw(body, 'sha256=' + 'ab'.repeat(32));
		const unsigned = await sim.webhooks.raw(body, null);
		expect([forged.status, unsigned.status]).toEqual([401, 401]);
		// A real delivery, re-signed with another secret, is refused as well.
		const wamid = 'wamid.FORGED';
		const realShape = JSON.stringify({
			object: 'whatsapp_business_account',
			entry: [
				{
					id: '1',
					changes: [
						{
							field: 'messages',
							value: {
								metadata: { phone_number_id: sim.config.phoneNumberId },
								messages: [
									{
										from: ERIKA,
										id: wamid,
										timestamp: String(Math.floor(Date.now() / 1000)),
										type: 'text',
										text: { body: 'Start' },
									},
								],
							},
						},
					],
				},
			],
		});
		sim.configure({ appSecret: 'attacker-secret' });
		try {
			expect((await sim.webhooks.raw(realShape)).status).toBe(401);
		} finally {
			sim.configure({ appSecret: 'sim-app-secret' });
		}
		expect(endpoint.outcomes.every((o) => !o.executionStarted)).toBe(true);
		expect(endpoint.items(0)).toEqual([]);
	});

	it('never puts any form of a sender’s number into an emitted item or a log line', async () => {
		await sim.citizensSend(
			[
				{
					citizen: { from: ERIKA, profileName: 'Erika', userId: 'DE.1' },
					message: { text: 'Start' },
				},
				{ citizen: { from: MARKO }, message: { reaction: { messageId: 'wamid.X', emoji: '👍' } } },
				{ citizen: { from: MARKO }, message: { image: { id: 'media-1', caption: 'Schlagloch' } } },
			],
			{ layout: 'changes' },
		);
		const reply = await send(sim, text(MARKO, 'Danke'));
		await sim.emitStatus(reply.body.messages![0].id, 'read');
		await sim.citizenPreference({ from: ERIKA }, 'resume');
		const emitted = [...endpoint.items(0), ...endpoint.items(1)];
		expect(emitted).toHaveLength(5);
		const serialised = JSON.stringify(emitted) + JSON.stringify(setup.runner.logs);
		expect(findPhoneLeaks(serialised, [ERIKA, MARKO])).toEqual([]);
		// The same search does find the numbers in what the simulator sent.
		expect(
			findPhoneLeaks(
				sim
					.deliveries()
					.map((d) => d.body)
					.join(''),
				[ERIKA, MARKO],
			).length,
		).toBeGreaterThan(0);
	});

	it('passes its items through n8n’s WorkflowExecute to the next node on the right output', async () => {
		await sim.citizenSends({ from: ERIKA }, { text: 'Info' });
		const outcome = endpoint.outcomes[0];
		const run = await runSingleNode(new WhatsAppBroadcastTrigger(), {
			startData: outcome.workflowData,
			mode: 'webhook',
		});
		expect(run.error).toBeUndefined();
		expect(run.json('WhatsApp Broadcast Trigger', 0)).toEqual(outcome.output(0));
		expect(run.json('WhatsApp Broadcast Trigger', 0)[0]).toMatchObject({
			type: 'text',
			text: 'Info',
		});
		expect(run.json('WhatsApp Broadcast Trigger', 1)).toEqual([]);
	});
});
