import { startSimulator, type Simulator } from '../../../simulator';
import { triggerRunner, VERIFY_TOKEN } from './support';

describe('WhatsApp Broadcast Trigger: optional callback registration on activation', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(() => sim.stop());
	beforeEach(() => {
		sim.subscriptions.length = 0;
	});

	it('touches nothing at Meta by default', async () => {
		const setup = triggerRunner({ baseUrl: sim.baseUrl });
		try {
			expect(await setup.runner.activate()).toEqual({ existed: true, created: false });
			expect(sim.subscriptions).toEqual([]);
		} finally {
			await setup.dispose();
		}
	});

	it('registers its production URL once when asked, with the verify token', async () => {
		const setup = triggerRunner({
			baseUrl: sim.baseUrl,
			parameters: { registerSubscription: true, appId: sim.config.appId, options: {} },
		});
		try {
			expect(await setup.runner.activate()).toEqual({ existed: false, created: true });
			expect(sim.subscriptions).toEqual([
				{
					object: 'whatsapp_business_account',
					callbackUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:5678\/webhook\/.*whatsapp$/),
					verifyToken: VERIFY_TOKEN,
					fields: 'messages,user_preferences',
				},
			]);
			// Activating again finds it and does not register a second time.
			expect(await setup.runner.activate()).toEqual({ existed: true, created: false });
			expect(sim.subscriptions).toHaveLength(1);
		} finally {
			await setup.dispose();
		}
	});

	it('fails activation with a clear message for an unknown app ID', async () => {
		const setup = triggerRunner({
			baseUrl: sim.baseUrl,
			parameters: { registerSubscription: true, appId: '12345', options: {} },
		});
		try {
			await expect(setup.runner.activate()).rejects.toThrow(/check the App ID and App Secret/);
		} finally {
			await setup.dispose();
		}
	});
});
