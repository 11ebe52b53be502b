/**
 * `npm run sandbox`: the quick start. A real n8n with this package and the five workflows
 * imported and published, the WhatsApp simulator in place of Meta, a demo news feed and gazette
 * feed, and a mail catcher for the staff e-mails. No Meta account, no mail server. Ctrl-C stops
 * everything. `npm run citizen -- help` plays a citizen against it.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { startSimulator } from '../simulator';
import { startFeedServer } from './n8n/feed-server';
import { freePort, SANDBOX_OWNER, startN8n, type N8nInstance } from './n8n/instance';
import {
	cmsWebhookPath,
	loadWorkflow,
	localCredentials,
	pointFeedAt,
	serviceWebhooks,
	triggerWebhookPath,
	WORKFLOW_FILES,
} from './n8n/workflows';
import { startMailSink, type ReceivedMail } from './sandbox/mail-sink';
import { SANDBOX_DIR, SANDBOX_STATE, type SandboxState } from './sandbox/state';

/** The preferred port if it is free (5678, n8n's usual one), else any free port. */
async function portFor(preferred: number): Promise<number> {
	const { createServer } = await import('node:net');
	const free = await new Promise<boolean>((resolve) => {
		const probe = createServer();
		probe.once('error', () => resolve(false));
		probe.listen(preferred, '127.0.0.1', () => probe.close(() => resolve(true)));
	});
	if (free) return preferred;
	const port = await freePort();
	console.log(`Port ${preferred} is taken (another n8n?); the sandbox's n8n uses ${port} instead.`);
	return port;
}

function printMail(mail: ReceivedMail): void {
	const respond = mail.links.find((link) => link.includes('/webhook-waiting/'));
	console.log(`\n📧 Mail to ${mail.to.join(', ')}: ${mail.subject}`);
	if (respond) console.log(`   Answer the citizen here: ${respond}\n`);
}

/**
 * Ctrl-C can come at any moment, n8n still starting included: everything started so far is
 * stopped, n8n and its task runner first, and only then does the process exit.
 */
const abort = new AbortController();
const servers: Array<{ stop(): Promise<void> }> = [];
let n8nStarting: Promise<N8nInstance> | undefined;
let stopping = false;

async function stop(exitCode: number): Promise<void> {
	if (stopping) return;
	stopping = true;
	abort.abort(new Error('The sandbox is stopping'));
	const n8n = await n8nStarting?.catch(() => undefined);
	await n8n?.stop();
	await Promise.all(servers.map((server) => server.stop()));
	rmSync(SANDBOX_STATE, { force: true });
	process.exit(exitCode);
}

/** In a terminal, Ctrl-C reaches this process twice (from the terminal and through npm). */
function onSignal(): void {
	if (stopping) return;
	console.log('\nStopping the sandbox …');
	void stop(0);
}

async function main(): Promise<void> {
	rmSync(SANDBOX_DIR, { recursive: true, force: true });
	mkdirSync(SANDBOX_DIR, { recursive: true });
	const port = await portFor(Number(process.env.SANDBOX_PORT ?? 5678));
	const workflows = WORKFLOW_FILES.map(loadWorkflow);
	const [subscriptions, rss, gazetteFlow, cms] = workflows;
	const sim = await startSimulator({
		port: 0,
		callbackUrl: `http://127.0.0.1:${port}/webhook/${triggerWebhookPath(subscriptions)}`,
		statuses: { auto: true, delayMs: 500 },
	});
	servers.push(sim);
	const news = await startFeedServer('/aktuelles/rss.xml');
	servers.push(news);
	const gazette = await startFeedServer('/amtsblatt/feed.xml');
	servers.push(gazette);
	// One old item each: the feeds look real, and nothing is sent for them.
	news.items.push({
		guid: 'welcome',
		title: 'Willkommen beim WhatsApp-Dienst der Gemeinde',
		link: 'https://musterdorf.example/aktuelles/whatsapp',
		pubDate: new Date(Date.now() - 86_400_000),
	});
	gazette.items.push({
		guid: 'amtsblatt-old',
		title: 'Amtsblatt Musterkreis Nr. 47: Satzung der Gemeinde Musterdorf',
		link: 'https://amtsblatt.example/musterkreis/2026/47/1',
		pubDate: new Date(Date.now() - 86_400_000),
	});
	pointFeedAt(rss, 'News Feed', news.url);
	pointFeedAt(gazetteFlow, 'Gazette Feed', gazette.url);
	const mail = await startMailSink(printMail);
	servers.push(mail);
	const cmsHeader = { name: 'X-Civic-Key', value: randomBytes(12).toString('hex') };
	const credentials = localCredentials(workflows, {
		simulator: sim,
		consentStorePath: join(SANDBOX_DIR, 'consent-store.sqlite'),
		dataProtectionKey: randomBytes(32).toString('base64'),
		cmsHeader,
		smtp: { host: '127.0.0.1', port: mail.port },
	});

	n8nStarting = startN8n({
		port,
		userFolder: join(SANDBOX_DIR, 'n8n'),
		credentials,
		workflows,
		waitForWebhooks: serviceWebhooks(subscriptions, cms),
		log: (line) => console.log(`[n8n] ${line}`),
		signal: abort.signal,
	});
	const n8n = await n8nStarting;
	const n8nCookie = await n8n.setupOwner(SANDBOX_OWNER);
	const state: SandboxState = {
		n8nUrl: n8n.baseUrl,
		simulatorUrl: sim.baseUrl,
		newsFeedUrl: news.url,
		cmsUrl: n8n.webhookUrl(cmsWebhookPath(cms)),
		cmsHeader,
		n8nCookie,
		subscriptionsWorkflowId: subscriptions.id as string,
	};
	writeFileSync(SANDBOX_STATE, JSON.stringify(state, null, 2), { mode: 0o600 });
	console.log(`
────────────────────────────────────────────────────────────────────────
 Sandbox ready. Nothing leaves this machine: Meta is simulated.

 n8n editor:   ${n8n.baseUrl}
               log in as ${SANDBOX_OWNER.email} / ${SANDBOX_OWNER.password}
 Workflows:    the five from workflows/, published (see the sticky notes)

 Play a citizen (in a second terminal):
   npm run citizen -- start 4915112345678          subscribe ("Start")
   npm run citizen -- say 4915112345678 "Hallo"    a question: a staff mail appears here
   npm run citizen -- inbox 4915112345678          what this citizen received
   npm run citizen -- stop 4915112345678           unsubscribe ("Stop")
 Announce:
   npm run citizen -- news "Straßensperre Hauptstraße"   new item in the news feed (sent within a minute)
   curl -X POST ${state.cmsUrl} \\
     -H '${cmsHeader.name}: ${cmsHeader.value}' -H 'content-type: application/json' \\
     -d '{"title":"Wasserabschaltung","link":"https://musterdorf.example/wasser"}'

 Simulator:    ${sim.baseUrl}/_sim/messages   (all messages "sent to WhatsApp")
 Ports:        n8n ${n8n.port} (task broker ${n8n.taskBrokerPort}), simulator ${new URL(sim.baseUrl).port}, mail ${mail.port}
 Ctrl-C stops everything (the sandbox starts fresh each time).
────────────────────────────────────────────────────────────────────────`);
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
main().catch((error: unknown) => {
	// Ctrl-C during startup makes startN8n reject; stop() is already finishing up.
	if (stopping) return;
	console.error(error instanceof Error ? error.message : error);
	void stop(1);
});
