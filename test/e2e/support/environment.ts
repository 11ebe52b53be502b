/**
 * Everything one end-to-end run needs: the simulator (as Meta), a local news feed and gazette
 * feed, a real n8n with our package, the five exported workflows imported and published, and
 * a consent store file in a temp folder.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { untilExecutionsFinished } from '../../../scripts/n8n/executions';
import { freePort, startN8n, type N8nInstance } from '../../../scripts/n8n/instance';
import {
	cmsWebhookPath,
	findNode,
	loadWorkflow,
	localCredentials,
	pointFeedAt,
	serviceWebhooks,
	triggerWebhookPath,
	WORKFLOW_FILES,
	type ExportedWorkflow,
} from '../../../scripts/n8n/workflows';
import { startSimulator, type Simulator } from '../../../simulator';
import { startFeedServer, type FeedServer } from '../../../scripts/n8n/feed-server';
import { startMailSink, type MailSink } from '../../../scripts/sandbox/mail-sink';

export interface E2eEnvironment {
	sim: Simulator;
	news: FeedServer;
	gazette: FeedServer;
	/** A gazette listing page (no feed), read by a copy of the gazette workflow's second branch. */
	listing: FeedServer;
	/** The staff mailbox: n8n's send-and-wait e-mails land here over real SMTP. */
	mail: MailSink;
	n8n: N8nInstance;
	/** Session of n8n's owner, for reading executions over n8n's REST API. */
	n8nCookie: string;
	/** Shifts the simulator's clock (Meta's side: message times and the 24-hour window). */
	clock: { offsetMs: number };
	consentStorePath: string;
	dataProtectionKey: string;
	cmsUrl: string;
	cmsHeader: { name: string; value: string };
	stop(): Promise<void>;
}

export async function startEnvironment(): Promise<E2eEnvironment> {
	const work = mkdtempSync(join(tmpdir(), 'civic-e2e-'));
	const port = await freePort();
	const workflows: ExportedWorkflow[] = WORKFLOW_FILES.map(loadWorkflow);
	const [subscriptions, rss, gazetteFlow, cms] = workflows;
	const callbackUrl = `http://127.0.0.1:${port}/webhook/${triggerWebhookPath(subscriptions)}`;
	const clock = { offsetMs: 0 };
	// Statuses come back on their own, as from Meta, so Record Status runs too.
	const sim = await startSimulator({
		callbackUrl,
		statuses: { auto: true },
		now: () => Date.now() + clock.offsetMs,
	});
	const news = await startFeedServer('/aktuelles/rss.xml');
	const gazette = await startFeedServer('/amtsblatt/feed.xml');
	pointFeedAt(rss, 'News Feed', news.url);
	pointFeedAt(gazetteFlow, 'Gazette Feed', gazette.url);
	const listing = await startFeedServer('/amtsblatt/musterkreis/', 0, 'listing');
	workflows.push(listingPageVariant(gazetteFlow, listing.url));
	const mail = await startMailSink(() => undefined);

	const consentStorePath = join(work, 'consent-store.sqlite');
	const dataProtectionKey = randomBytes(32).toString('base64');
	const cmsHeader = { name: 'X-Civic-Key', value: randomBytes(24).toString('hex') };
	const credentials = localCredentials(workflows, {
		simulator: sim,
		consentStorePath,
		dataProtectionKey,
		cmsHeader,
		smtp: { host: '127.0.0.1', port: mail.port },
	});
	let n8n: N8nInstance;
	let n8nCookie: string;
	try {
		n8n = await startN8n({
			port,
			userFolder: join(work, 'n8n'),
			credentials,
			workflows,
			waitForWebhooks: serviceWebhooks(subscriptions, cms),
			log: (line) => process.stdout.write(`[n8n] ${line}\n`),
		});
		n8nCookie = await n8n.setupOwner();
	} catch (error) {
		await Promise.all([sim.stop(), news.stop(), gazette.stop(), listing.stop(), mail.stop()]);
		throw error;
	}
	return {
		sim,
		news,
		gazette,
		listing,
		mail,
		n8n,
		n8nCookie,
		clock,
		consentStorePath,
		dataProtectionKey,
		cmsUrl: n8n.webhookUrl(cmsWebhookPath(cms)),
		cmsHeader,
		stop: async () => {
			await n8n.stop();
			await Promise.all([sim.stop(), news.stop(), gazette.stop(), listing.stop(), mail.stop()]);
			if (!process.env.CIVIC_E2E_KEEP) rmSync(work, { recursive: true, force: true });
		},
	};
}

/**
 * The gazette workflow as an admin switches it to its listing-page branch: feed trigger
 * disabled, schedule enabled. It runs every 10 s instead of every hour, so the test need not wait.
 */
function listingPageVariant(gazetteFlow: ExportedWorkflow, url: string): ExportedWorkflow {
	const variant = structuredClone(gazetteFlow);
	variant.id = 'civicGazetteListingE2e';
	variant.name = `${gazetteFlow.name} (listing page)`;
	findNode(variant, 'Gazette Feed').disabled = true;
	const schedule = findNode(variant, 'Every Hour');
	delete schedule.disabled;
	schedule.parameters.rule = { interval: [{ field: 'seconds', secondsInterval: 10 }] };
	findNode(variant, 'Gazette Listing Page').parameters.url = url;
	return variant;
}

/** Waits until `check` returns a value (not undefined); the limit only ends a hung run. */
export async function eventually<T>(
	what: string,
	check: () => T | undefined | Promise<T | undefined>,
	limitMs = 300_000,
): Promise<T> {
	const deadline = Date.now() + limitMs;
	for (;;) {
		const value = await check();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 250));
	}
}

/**
 * Waits until no execution of the workflow is queued or running. Call it after something that
 * shows the executions in question exist: an answer from n8n's Webhook node (n8n registers the
 * execution first) or a message one of them sent (our trigger answers Meta before n8n registers
 * its execution, so its 200 is no such sign). Then "nothing else was sent" can be checked.
 */
export async function executionsFinished(env: E2eEnvironment, workflowId: string): Promise<void> {
	const done = await untilExecutionsFinished(env.n8n.baseUrl, env.n8nCookie, workflowId, 300_000);
	if (!done) throw new Error(`Gave up waiting for the executions of ${workflowId} to finish`);
}

/** Failed executions of a workflow, newest first, with their error messages (n8n's REST API). */
export async function failedExecutions(
	env: E2eEnvironment,
	workflowId: string,
): Promise<Array<{ id: string; error: string }>> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId, status: ['error'] }));
	const list = await fetch(`${env.n8n.baseUrl}/rest/executions?filter=${filter}`, {
		headers: { cookie: env.n8nCookie },
	});
	if (!list.ok) throw new Error(`n8n's executions list answered ${list.status}`);
	const { data } = (await list.json()) as { data: { results: Array<{ id: string }> } };
	return Promise.all(
		data.results.map(async ({ id }) => {
			const detail = await fetch(`${env.n8n.baseUrl}/rest/executions/${id}`, {
				headers: { cookie: env.n8nCookie },
			});
			return { id, error: await detail.text() };
		}),
	);
}

/** Raw bytes of every file of n8n's SQLite database (WAL and journal included), as latin1 text. */
export function n8nDatabaseBytes(n8n: N8nInstance): Array<{ file: string; text: string }> {
	return readdirSync(n8n.dataFolder)
		.filter((f) => f.startsWith('database.sqlite'))
		.map((f) => ({ file: f, text: readFileSync(join(n8n.dataFolder, f)).toString('latin1') }));
}

/** Raw bytes of the consent store's SQLite files. */
export function storeBytes(path: string): Array<{ file: string; text: string }> {
	const dir = join(path, '..');
	const base = path.slice(dir.length + 1);
	return readdirSync(dir)
		.filter((f) => f.startsWith(base))
		.map((f) => ({ file: f, text: readFileSync(join(dir, f)).toString('latin1') }));
}
