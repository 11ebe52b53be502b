import { startSimulator, type Simulator } from '../../simulator';
import { announcement, send, text } from './support';

describe('simulator: POST /:version/:phoneNumberId/messages', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator({ rate: 0, pairRate: false });
	});
	afterAll(() => sim.stop());
	beforeEach(() => sim.reset());

	it('accepts an approved template and answers like Meta', async () => {
		const answer = await send(sim, announcement('4915112345678', 'Straßensperre 🚧'));
		expect(answer.status).toBe(200);
		expect(answer.body.contacts).toEqual([{ input: '4915112345678', wa_id: '4915112345678' }]);
		expect(answer.body.messages?.[0]).toEqual({
			id: expect.stringMatching(/^wamid\.[A-Za-z0-9+/]+=*$/),
			message_status: 'accepted',
		});
		const [recorded] = sim.messagesTo('4915112345678');
		expect(recorded.wamid).toBe(answer.body.messages?.[0].id);
		expect(recorded.text).toContain('Straßensperre 🚧');
		expect(recorded.templateName).toBe('civic_announcement');
	});

	it('gives each accepted message its own wamid', async () => {
		const a = await send(sim, announcement('4915112345678', 'A'));
		const b = await send(sim, announcement('4915112345679', 'B'));
		expect(a.body.messages?.[0].id).not.toBe(b.body.messages?.[0].id);
	});

	it('rejects a wrong or missing bearer token with 190', async () => {
		const answer = await send(sim, announcement('4915112345678', 'x'), { token: 'wrong' });
		expect(answer.status).toBe(401);
		expect(answer.body.error).toMatchObject({ code: 190, type: 'OAuthException' });
		expect(sim.accepted()).toHaveLength(0);
	});

	it('rejects an unknown phone number ID with 100', async () => {
		const answer = await send(sim, announcement('4915112345678', 'x'), { phoneNumberId: '999' });
		expect(answer.body.error?.code).toBe(100);
	});

	it('rejects an unknown template or language with 132001', async () => {
		const unknown = {
			...(announcement('4915112345678', 'x') as object),
			template: { name: 'nope', language: { code: 'de' } },
		};
		expect((await send(sim, unknown)).body.error?.code).toBe(132001);
		expect(
			(await send(sim, announcement('4915112345678', 'x', 'https://a.example', 'fr'))).body.error
				?.code,
		).toBe(132001);
	});

	it('rejects a parameter count mismatch with 132000', async () => {
		const body = announcement('4915112345678', 'x') as {
			template: { components: Array<{ parameters: unknown[] }> };
		};
		body.template.components[0].parameters.pop();
		expect((await send(sim, body)).body.error?.code).toBe(132000);
	});

	it.each([
		['a newline', 'Zeile 1\nZeile 2'],
		['a tab', 'Spalte\tB'],
		['five spaces', 'viel     Platz'],
	])('rejects a parameter with %s with 132018', async (_, title) => {
		const answer = await send(sim, announcement('4915112345678', title));
		expect(answer.status).toBe(400);
		expect(answer.body.error?.code).toBe(132018);
	});

	it('accepts four consecutive spaces', async () => {
		expect((await send(sim, announcement('4915112345678', 'vier    Leer'))).status).toBe(200);
	});

	it('rejects a body too long after filling with 132005', async () => {
		expect(
			(await send(sim, announcement('4915112345678', 'x'.repeat(1000)))).body.error?.code,
		).toBe(132005);
	});

	it('validates positional templates with a header parameter', async () => {
		const body = {
			messaging_product: 'whatsapp',
			to: '38640123456',
			type: 'template',
			template: {
				name: 'civic_announcement_positional',
				language: { code: 'sl' },
				components: [
					{ type: 'header', parameters: [{ type: 'text', text: 'Obvestilo' }] },
					{
						type: 'body',
						parameters: [
							{ type: 'text', text: 'Zapora ceste' },
							{ type: 'text', text: 'https://obcina.example/1' },
						],
					},
				],
			},
		};
		expect((await send(sim, body)).status).toBe(200);
		expect(sim.messagesTo('38640123456')[0].text).toBe(
			'Obvestilo\nZapora ceste – https://obcina.example/1',
		);
	});

	it('accepts a quick-reply button payload only where the template has the button', async () => {
		const body = announcement('4915112345678', 'x') as { template: { components: unknown[] } };
		body.template.components.push({
			type: 'button',
			sub_type: 'quick_reply',
			index: '0',
			parameters: [{ type: 'payload', payload: 'STOP' }],
		});
		expect((await send(sim, body)).status).toBe(200);
		body.template.components.push({
			type: 'button',
			sub_type: 'quick_reply',
			index: '1',
			parameters: [{ type: 'payload', payload: 'X' }],
		});
		expect((await send(sim, body)).body.error?.code).toBe(131009);
	});

	it('rejects malformed bodies with 100', async () => {
		expect(
			(await send(sim, { to: '4915112345678', type: 'text', text: { body: 'x' } })).body.error
				?.code,
		).toBe(100);
		expect((await send(sim, { ...(text('not-a-number') as object) })).body.error?.code).toBe(100);
		expect((await send(sim, text('4915112345678', 'x'.repeat(4097)))).body.error?.code).toBe(100);
	});

	it('answers GET on the phone number for credential checks', async () => {
		const ok = await fetch(`${sim.baseUrl}/v24.0/${sim.config.phoneNumberId}`, {
			headers: { authorization: `Bearer ${sim.config.accessToken}` },
		});
		expect(ok.status).toBe(200);
		expect(await ok.json()).toMatchObject({
			id: sim.config.phoneNumberId,
			verified_name: 'Gemeinde Musterdorf',
		});
		const bad = await fetch(`${sim.baseUrl}/v24.0/${sim.config.phoneNumberId}`, {
			headers: { authorization: 'Bearer nope' },
		});
		expect(bad.status).toBe(401);
		expect(((await bad.json()) as { error: { code: number } }).error.code).toBe(190);
	});
});
