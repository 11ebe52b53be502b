import { spawn } from 'node:child_process';
import path from 'node:path';

import { startSimulator, type Simulator } from '../../simulator';
import { WebhookReceiver } from '../support/webhook-receiver';
import { announcement, send } from './support';

describe('simulator: inspection and control over HTTP', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator({ rate: 0, pairRate: false });
	});
	afterAll(() => sim.stop());

	it('lists accepted messages per recipient, counters, and resets', async () => {
		await send(sim, announcement('4915100000001', 'eins'));
		await send(sim, announcement('4915100000001', 'zwei'));
		await send(sim, announcement('4915100000002', 'drei'));
		await send(sim, { bad: true });
		const perRecipient = (await (
			await fetch(`${sim.baseUrl}/_sim/messages?to=4915100000001`)
		).json()) as { messages: Array<{ text: string }> };
		expect(perRecipient.messages.map((m) => m.text)).toEqual([
			expect.stringContaining('eins'),
			expect.stringContaining('zwei'),
		]);
		const counters = await (await fetch(`${sim.baseUrl}/_sim/counters`)).json();
		expect(counters).toMatchObject({ requests: 4, accepted: 3, errors: { '100': 1 } });
		await fetch(`${sim.baseUrl}/_sim/reset`, { method: 'POST' });
		expect(sim.accepted()).toHaveLength(0);
		expect(sim.counters().requests).toBe(0);
	});

	it('tells when each accepted message arrived, without the numbers', async () => {
		let now = 1_000;
		const timed = await startSimulator({ rate: 0, pairRate: false, now: () => now });
		try {
			await send(timed, announcement('4915100000004', 'eins'));
			now = 1_250;
			await send(timed, announcement('4915100000005', 'zwei'));
			await send(timed, { bad: true });
			now = 2_400;
			await send(timed, announcement('4915100000004', 'drei'));
			const raw = await (await fetch(`${timed.baseUrl}/_sim/arrivals`)).text();
			expect(JSON.parse(raw)).toEqual({ at: [1_000, 1_250, 2_400] });
			expect(raw).not.toContain('4915100000004');
		} finally {
			await timed.stop();
		}
	});

	it('is configured and plays citizens over HTTP', async () => {
		const hook = await new WebhookReceiver(sim.config.appSecret).start();
		await fetch(`${sim.baseUrl}/_sim/configure`, {
			method: 'POST',
			body: JSON.stringify({ callbackUrl: hook.url, rate: 3 }),
		});
		expect(sim.config.rate).toBe(3);
		const answer = await fetch(`${sim.baseUrl}/_sim/citizen`, {
			method: 'POST',
			body: JSON.stringify({ from: '4915100000003', text: 'Start' }),
		});
		expect(answer.status).toBe(200);
		expect(((await answer.json()) as { messageId: string }).messageId).toMatch(/^wamid\./);
		expect(hook.received[0].validSignature).toBe(true);
		await hook.stop();
	});

	it('records app subscriptions', async () => {
		const url = `${sim.baseUrl}/v24.0/${sim.config.appId}/subscriptions`;
		await fetch(url, {
			method: 'POST',
			body: new URLSearchParams({
				object: 'whatsapp_business_account',
				callback_url: 'https://n8n.example/webhook/x',
				verify_token: 't',
				fields: 'messages',
			}),
		});
		const listed = (await (await fetch(url)).json()) as { data: Array<{ callback_url: string }> };
		expect(listed.data[0].callback_url).toBe('https://n8n.example/webhook/x');
	});
});

describe('simulator: command line', () => {
	it('starts from the shell, answers, and stops on SIGTERM', async () => {
		const root = path.resolve(__dirname, '../..');
		const child = spawn(
			path.join(root, 'node_modules/.bin/tsx'),
			['simulator/cli.ts', '--port', '0', '--rate', '7', '--token', 'cli-token'],
			{
				cwd: root,
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		try {
			const baseUrl = await new Promise<string>((resolve, reject) => {
				let out = '';
				child.stdout.on('data', (d: Buffer) => {
					out += d.toString();
					const match = /listening on (http:\/\/\S+)/.exec(out);
					if (match) resolve(match[1]);
				});
				child.on('exit', (code) => reject(new Error(`exited ${code}`)));
			});
			const answer = await fetch(`${baseUrl}/v24.0/100000000000001/messages`, {
				method: 'POST',
				headers: { authorization: 'Bearer cli-token' },
				body: JSON.stringify(announcement('4915100000009', 'cli')),
			});
			expect(answer.status).toBe(200);
			const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
			child.kill('SIGTERM');
			expect(await exited).toBe(0);
		} finally {
			child.kill('SIGKILL');
		}
	});
});
