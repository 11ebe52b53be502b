import { startSimulator, type Simulator, type ServerEnvelope } from '../../simulator';
import { WebhookReceiver } from '../support/webhook-receiver';
import { announcement, send } from './support';

describe('simulator: simulated citizens and status webhooks', () => {
	let sim: Simulator;
	let hook: WebhookReceiver;
	beforeAll(async () => {
		sim = await startSimulator({ rate: 0, pairRate: false, appSecret: 'app-secret-123' });
		hook = await new WebhookReceiver('app-secret-123').start();
		sim.configure({ callbackUrl: hook.url });
	});
	afterAll(async () => {
		await sim.stop();
		await hook.stop();
	});
	beforeEach(() => {
		sim.reset();
		hook.received.length = 0;
		sim.configure({ statuses: { auto: false, outOfOrder: false, duplicate: false } });
	});

	it('delivers a citizen message in Meta envelope, signed so a standard HMAC check accepts it', async () => {
		const id = await sim.citizenSends(
			{ from: '4915112345678', profileName: 'Jürgen 😀' },
			{ text: 'Start 👋 / los' },
		);
		expect(hook.received).toHaveLength(1);
		const [got] = hook.received;
		expect(got.validSignature).toBe(true);
		expect(sim.deliveries()[0].status).toBe(200);
		const envelope = got.parsed as ServerEnvelope;
		expect(envelope.object).toBe('whatsapp_business_account');
		const value = envelope.entry[0].changes[0].value as {
			metadata: object;
			contacts: unknown[];
			messages: unknown[];
		};
		expect(envelope.entry[0].changes[0].field).toBe('messages');
		expect(value.metadata).toEqual({
			display_phone_number: sim.config.displayPhoneNumber,
			phone_number_id: sim.config.phoneNumberId,
		});
		expect(value.contacts).toEqual([{ profile: { name: 'Jürgen 😀' }, wa_id: '4915112345678' }]);
		expect(value.messages).toEqual([
			{
				from: '4915112345678',
				id,
				timestamp: expect.stringMatching(/^\d+$/),
				type: 'text',
				text: { body: 'Start 👋 / los' },
			},
		]);
	});

	it('escapes non-ASCII and slashes like Meta, so a signature over re-serialised JSON fails', async () => {
		await sim.citizenSends({ from: '4915112345678' }, { text: 'Grüße 😀 https://x.example/a' });
		const [got] = hook.received;
		expect(got.rawBody).toContain('\\ud83d\\ude00');
		expect(got.rawBody).toContain('Gr\\u00fc\\u00dfe');
		expect(got.rawBody).toContain('https:\\/\\/x.example\\/a');
		const { checkSignature } = await import('../support/webhook-receiver');
		expect(
			checkSignature(Buffer.from(JSON.stringify(got.parsed)), got.signature, 'app-secret-123'),
		).toBe(false);
	});

	it('a receiver with another secret rejects the signature', async () => {
		const other = await new WebhookReceiver('another-secret').start();
		sim.configure({ callbackUrl: other.url });
		await sim.citizenSends({ from: '4915112345678' }, { text: 'Stop' });
		expect(other.received[0].validSignature).toBe(false);
		expect(sim.deliveries()[0].status).toBe(401);
		sim.configure({ callbackUrl: hook.url });
		await other.stop();
	});

	it('delivers twice when Meta retries, with identical bytes', async () => {
		await sim.citizenSends({ from: '4915112345678' }, { text: 'Start' }, { twice: true });
		expect(hook.received).toHaveLength(2);
		expect(hook.received[0].rawBody).toBe(hook.received[1].rawBody);
	});

	it('batches several messages as entries, as changes, or in one change', async () => {
		const sends = [
			{ citizen: { from: '4915100000001' }, message: { text: 'Start' } },
			{
				citizen: { from: '4915100000002' },
				message: { button: { payload: 'STOP', text: 'Stop' }, contextId: 'wamid.X' },
			},
			{
				citizen: { userId: 'DE.123456789' },
				message: { interactive: { id: 'info', title: 'Info', kind: 'list_reply' as const } },
			},
		];
		await sim.citizensSend(sends, { layout: 'entries' });
		await sim.citizensSend(sends, { layout: 'changes' });
		await sim.citizensSend(sends, { layout: 'single' });
		const [entries, changes, single] = hook.received.map((r) => r.parsed as ServerEnvelope);
		expect(entries.entry).toHaveLength(3);
		expect(changes.entry).toHaveLength(1);
		expect(changes.entry[0].changes).toHaveLength(3);
		expect(single.entry[0].changes).toHaveLength(1);
		const messages = (
			single.entry[0].changes[0].value as { messages: Array<Record<string, unknown>> }
		).messages;
		expect(messages.map((m) => m.type)).toEqual(['text', 'button', 'interactive']);
		expect(messages[1]).toMatchObject({
			button: { payload: 'STOP', text: 'Stop' },
			context: { id: 'wamid.X' },
		});
		expect(messages[2]).toMatchObject({
			from_user_id: 'DE.123456789',
			interactive: { type: 'list_reply', list_reply: { id: 'info' } },
		});
		expect(messages[2].from).toBeUndefined();
	});

	it('sends status webhooks for accepted messages, on demand and automatically, in order or not', async () => {
		const answer = await send(sim, {
			...(announcement('4915112345678', 'x') as object),
			biz_opaque_callback_data: 'broadcast:42',
		});
		const wamid = answer.body.messages![0].id;
		await sim.emitStatus(wamid, 'failed', { errorCode: 131026 });
		const failed = (hook.received[0].parsed as ServerEnvelope).entry[0].changes[0]
			.value as unknown as { statuses: Array<Record<string, unknown>> };
		expect(failed.statuses[0]).toMatchObject({
			id: wamid,
			status: 'failed',
			recipient_id: '4915112345678',
			biz_opaque_callback_data: 'broadcast:42',
			errors: [{ code: 131026, title: 'Message undeliverable' }],
		});

		hook.received.length = 0;
		sim.configure({
			statuses: { auto: true, outOfOrder: true, sequence: ['sent', 'delivered', 'read'] },
		});
		await send(sim, announcement('4915112345679', 'y'));
		await hook.receivedCount(3);
		const statuses = hook.received.map((r) => {
			const value = (r.parsed as ServerEnvelope).entry[0].changes[0].value as {
				statuses: Array<{ status: string; pricing?: object }>;
			};
			return value.statuses[0];
		});
		expect(statuses.map((s) => s.status)).toEqual(['read', 'delivered', 'sent']);
		expect(statuses[0].pricing).toEqual({
			billable: true,
			pricing_model: 'PMP',
			type: 'regular',
			category: 'marketing',
		});
		expect(hook.received.every((r) => r.validSignature)).toBe(true);
	});

	it('sends marketing opt-out preference updates', async () => {
		await sim.citizenPreference({ from: '4915112345678' }, 'stop');
		const change = (hook.received[0].parsed as ServerEnvelope).entry[0].changes[0];
		expect(change.field).toBe('user_preferences');
		expect((change.value as { user_preferences: unknown[] }).user_preferences[0]).toMatchObject({
			wa_id: '4915112345678',
			category: 'marketing_messages',
			value: 'stop',
		});
	});

	it('posts raw bodies with forged or missing signatures for negative tests', async () => {
		const forged = await sim.webhooks.raw(
			'{"object":"whatsapp_business_account","entry":[]}',
			'sha256=' + '0'.repeat(64),
		);
		expect(forged.status).toBe(401);
		const unsigned = await sim.webhooks.raw('{}', null);
		expect(unsigned.status).toBe(401);
		expect(hook.received.map((r) => r.validSignature)).toEqual([false, false]);
	});
});
