import { triggerRunner, VERIFY_TOKEN, type TriggerSetup } from './support';

describe('WhatsApp Broadcast Trigger: GET handshake', () => {
	let setup: TriggerSetup;
	beforeAll(() => {
		setup = triggerRunner();
	});
	afterAll(() => setup.dispose());

	const handshake = (query: Record<string, string>) => setup.runner.call({ method: 'GET', query });

	it('answers the challenge as text/plain when the verify token matches, starting nothing', async () => {
		const outcome = await handshake({
			'hub.mode': 'subscribe',
			'hub.challenge': '1158201444',
			'hub.verify_token': VERIFY_TOKEN,
		});
		expect(outcome).toMatchObject({ status: 200, body: '1158201444', executionStarted: false });
		expect(outcome.contentType).toMatch(/^text\/plain/);
	});

	it.each([
		[
			'a wrong token',
			{ 'hub.mode': 'subscribe', 'hub.challenge': '1', 'hub.verify_token': 'guess' },
		],
		['no token', { 'hub.mode': 'subscribe', 'hub.challenge': '1' }],
		['a plain visit', {}],
	])('answers 403 to %s and logs no token', async (_label, query) => {
		const outcome = await handshake(query);
		expect(outcome).toMatchObject({ status: 403, executionStarted: false });
		expect(JSON.stringify(setup.runner.logs)).not.toContain('guess');
		expect(JSON.stringify(setup.runner.logs)).not.toContain(VERIFY_TOKEN);
	});
});
