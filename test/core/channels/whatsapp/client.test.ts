import { CloudApiClient } from '../../../../nodes/core/channels/whatsapp';
import { startSimulator, type Simulator } from '../../../../simulator';

describe('CloudApiClient against the simulator', () => {
	let sim: Simulator;
	let client: CloudApiClient;
	afterEach(async () => {
		client?.close();
		await sim?.stop();
	});

	const text = (to: string) => ({
		messaging_product: 'whatsapp' as const,
		recipient_type: 'individual' as const,
		to,
		type: 'text' as const,
		text: { preview_url: false, body: 'x' },
	});

	it('returns the wamid on success and a typed, number-free error otherwise', async () => {
		sim = await startSimulator({ faults: { recipientErrors: { '4915100000002': 131026 } } });
		client = new CloudApiClient({
			baseUrl: `${sim.baseUrl}/`,
			version: 'v24.0',
			phoneNumberId: sim.config.phoneNumberId,
			accessToken: sim.config.accessToken,
		});
		await sim.citizenSends({ from: '4915100000001' }, { text: 'hi' }).catch(() => undefined);
		const template = {
			messaging_product: 'whatsapp' as const,
			recipient_type: 'individual' as const,
			to: '4915100000001',
			type: 'template' as const,
			template: { name: 'hello_world', language: { code: 'en_US' } },
		};
		const ok = await client.send(template);
		expect(ok).toEqual({ ok: true, messageId: sim.messagesTo('4915100000001')[0].wamid });
		const skipped = await client.send({ ...template, to: '4915100000002' });
		expect(skipped.ok).toBe(false);
		if (skipped.ok) return;
		expect(skipped.error).toMatchObject({
			httpStatus: 400,
			code: 131026,
			retryClass: 'skip',
			certain: true,
		});
		expect(skipped.error.message).not.toContain('4915100000002');
		const window = await client.send(text('4915100000003'));
		expect(!window.ok && window.error.code).toBe(131047);
	});

	it('classifies a bad token as abort with advice, and a held request as an uncertain timeout', async () => {
		sim = await startSimulator({ faults: { timeoutShare: 1 } });
		client = new CloudApiClient({
			baseUrl: sim.baseUrl,
			version: 'v24.0',
			phoneNumberId: sim.config.phoneNumberId,
			accessToken: 'wrong',
		});
		const denied = await client.send(text('4915100000001'));
		expect(!denied.ok && denied.error).toMatchObject({ code: 190, retryClass: 'abort' });
		expect(!denied.ok && denied.error.message).toMatch(
			/renew it in the WhatsApp Broadcast API credential/,
		);
		client.close();
		client = new CloudApiClient({
			baseUrl: sim.baseUrl,
			version: 'v24.0',
			phoneNumberId: sim.config.phoneNumberId,
			accessToken: sim.config.accessToken,
			timeoutMs: 50,
		});
		const held = await client.send(text('4915100000001'));
		expect(!held.ok && held.error).toMatchObject({
			retryClass: 'retry',
			certain: false,
			httpStatus: undefined,
		});
	});

	it('checks its settings', () => {
		const base = { baseUrl: 'http://x', version: 'v24.0', phoneNumberId: '1', accessToken: 't' };
		expect(() => new CloudApiClient({ ...base, version: '24' })).toThrow(
			'Graph API version "24" is not valid',
		);
		expect(() => new CloudApiClient({ ...base, baseUrl: 'nope' })).toThrow(
			'base URL "nope" is not a URL',
		);
		expect(() => new CloudApiClient({ ...base, accessToken: '' })).toThrow('access token is empty');
	});
});
