/**
 * A real n8n started with HTTP_PROXY and NO_PROXY in its environment, as an admin behind a
 * company proxy runs it: the WhatsApp Broadcast node's Cloud API calls (the subscription
 * confirmation, a CMS announcement) go through the proxy. The credential's base URL names a host
 * only the proxy can reach, so a message that arrives came through it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort, startN8n, type N8nInstance } from '../../scripts/n8n/instance';
import {
	cmsWebhookPath,
	loadWorkflow,
	localCredentials,
	serviceWebhooks,
	triggerWebhookPath,
} from '../../scripts/n8n/workflows';
import { startSimulator, type Simulator } from '../../simulator';
import { startTestProxy, type TestProxy } from '../support/http-proxy';
import { eventually } from './support/environment';

const HIDDEN_HOST = 'graph.behind-proxy.example';
const CITIZEN = '4915790318846';

describe('n8n behind an HTTP proxy', () => {
	const work = mkdtempSync(join(tmpdir(), 'civic-e2e-proxy-'));
	let sim: Simulator;
	let proxy: TestProxy;
	let n8n: N8nInstance;
	let cmsUrl: string;
	const cmsHeader = { name: 'X-Civic-Key', value: randomBytes(24).toString('hex') };

	beforeAll(async () => {
		const port = await freePort();
		const subscriptions = loadWorkflow('subscriptions.json');
		const cms = loadWorkflow('cms-announcements.json');
		sim = await startSimulator({
			callbackUrl: `http://127.0.0.1:${port}/webhook/${triggerWebhookPath(subscriptions)}`,
		});
		const simPort = Number(new URL(sim.baseUrl).port);
		proxy = await startTestProxy({
			resolve: (host, targetPort) =>
				host === HIDDEN_HOST ? { host: '127.0.0.1', port: simPort } : { host, port: targetPort },
		});
		const credentials = localCredentials([subscriptions, cms], {
			simulator: { baseUrl: `http://${HIDDEN_HOST}:${simPort}`, config: sim.config },
			consentStorePath: join(work, 'consent-store.sqlite'),
			dataProtectionKey: randomBytes(32).toString('base64'),
			cmsHeader,
		});
		n8n = await startN8n({
			port,
			userFolder: join(work, 'n8n'),
			credentials,
			workflows: [subscriptions, cms],
			waitForWebhooks: serviceWebhooks(subscriptions, cms),
			// n8n's own loopback traffic (task runner, webhooks) stays direct, as an admin sets it.
			env: { HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' },
			log: (line) => process.stdout.write(`[n8n] ${line}\n`),
		});
		cmsUrl = n8n.webhookUrl(cmsWebhookPath(cms));
	});

	afterAll(async () => {
		await n8n?.stop();
		await proxy?.stop();
		await sim?.stop();
		rmSync(work, { recursive: true, force: true });
	});

	it('the confirmation and an announcement reach the Cloud API through the proxy', async () => {
		await sim.citizenSends({ from: CITIZEN }, { text: 'Start' });
		await eventually('the confirmation', () => (sim.messagesTo(CITIZEN).length ? true : undefined));
		const response = await fetch(cmsUrl, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				[cmsHeader.name.toLowerCase()]: cmsHeader.value,
			},
			body: JSON.stringify({
				id: 'cms-proxy-1',
				title: 'Straßenfest',
				link: 'https://musterdorf.example/fest',
			}),
		});
		expect(response.status).toBe(200);
		// The CMS workflow answers once the announcement went out.
		expect(await response.json()).toMatchObject({ recipients: 1, sent: 1, failed: 0 });
		const accepted = sim.counters().accepted;
		expect(accepted).toBeGreaterThanOrEqual(2);
		expect(proxy.counts.byTarget[`${HIDDEN_HOST}:${new URL(sim.baseUrl).port}`]).toBe(accepted);
	});
});
