/**
 * Everything a queue-mode run needs: the simulator (as Meta), a staff mailbox, a consent store in
 * a PostgreSQL database of its own, and a real n8n in queue mode (main, two workers, private
 * Redis, n8n's tables in PostgreSQL) with the exported subscriptions, CMS and error-alert
 * workflows imported and published, exactly as admins import them.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { derivePrivacyKeys } from '../../../nodes/core/privacy/keys';
import { openStore, type Store } from '../../../nodes/core/store';
import { untilExecutionsFinished } from '../../../scripts/n8n/executions';
import { createDatabase, type TempDatabase } from '../../../scripts/n8n/postgres-database';
import {
	startQueueCluster,
	type QueueCluster,
	type QueueClusterOptions,
} from '../../../scripts/n8n/queue-cluster';
import {
	cmsWebhookPath,
	findNode,
	loadWorkflow,
	localCredentials,
	serviceWebhooks,
	triggerWebhookPath,
	type ExportedWorkflow,
} from '../../../scripts/n8n/workflows';
import { startMailSink, type MailSink } from '../../../scripts/sandbox/mail-sink';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../../simulator';

/** The consent store's schema inside its own database (the credential's default). */
const STORE_SCHEMA = 'civic_broadcast';

export interface QueueEnvironment {
	sim: Simulator;
	mail: MailSink;
	cluster: QueueCluster;
	/** Session of n8n's owner, for n8n's REST API. */
	cookie: string;
	/** The consent store's database (dropped by stop). */
	storeDb: TempDatabase;
	/** A store opened on it with the credential's key, as the nodes open it. */
	store: Store;
	cmsUrl: string;
	cmsHeader: { name: string; value: string };
	stop(): Promise<void>;
}

export interface QueueEnvironmentOptions
	extends Pick<
		QueueClusterOptions,
		'workers' | 'webhookProcessors' | 'workerConcurrency' | 'tarball'
	> {
	/** The WhatsApp credential's pace: Messages per Second per Number, Share Kept for Replies (%). */
	pace?: { messagesPerSecond: number; replySharePercent: number };
	/**
	 * Also import and publish the Resume Broadcasts workflow; `everySeconds` shortens its schedule
	 * (the same workflow, only the interval changed) so a test need not wait for the minute.
	 */
	resumeBroadcasts?: { everySeconds?: number };
	simulator?: SimulatorOptions;
}

export async function startQueueEnvironment(
	options: QueueEnvironmentOptions = {},
): Promise<QueueEnvironment> {
	const { pace, resumeBroadcasts, simulator, ...clusterOptions } = options;
	const workflows: ExportedWorkflow[] = [
		loadWorkflow('subscriptions.json'),
		loadWorkflow('cms-announcements.json'),
		// The other two name it as their error workflow.
		loadWorkflow('error-alerts.json'),
	];
	if (resumeBroadcasts) {
		const resume = loadWorkflow('resume-broadcasts.json');
		if (resumeBroadcasts.everySeconds)
			findNode(resume, 'Every Minute').parameters.rule = {
				interval: [{ field: 'seconds', secondsInterval: resumeBroadcasts.everySeconds }],
			};
		workflows.push(resume);
	}
	const [subscriptions, cms] = workflows;
	const sim = await startSimulator(simulator);
	const mail = await startMailSink(() => undefined);
	const stops: Array<() => Promise<unknown>> = [() => mail.stop(), () => sim.stop()];
	const stopAll = async () => {
		for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
	};
	try {
		const storeDb = await createDatabase('civic_consent');
		stops.push(() => storeDb.drop());
		const dataProtectionKey = randomBytes(32).toString('base64');
		const cmsHeader = { name: 'X-Civic-Key', value: randomBytes(24).toString('hex') };
		const credentials = localCredentials(workflows, {
			simulator: sim,
			consentStorePath: '/unused',
			dataProtectionKey,
			cmsHeader,
			smtp: { host: '127.0.0.1', port: mail.port },
		}).map((credential) =>
			credential.type === 'consentStoreDb'
				? {
						...credential,
						// Several workers and main share one store: PostgreSQL, as the README asks.
						data: {
							backend: 'postgres',
							host: storeDb.host,
							port: storeDb.port,
							database: storeDb.name,
							user: storeDb.user,
							password: storeDb.password,
							ssl: false,
							schema: STORE_SCHEMA,
							dataProtectionKey,
						},
					}
				: credential.type === 'whatsAppBroadcastApi' && pace
					? { ...credential, data: { ...credential.data, ...pace } }
					: credential,
		);
		const cluster = await startQueueCluster({
			...clusterOptions,
			credentials,
			workflows,
			waitForWebhooks: serviceWebhooks(subscriptions, cms),
			keep: Boolean(process.env.CIVIC_E2E_KEEP),
			log: (line) => process.stdout.write(`[queue] ${line}\n`),
		});
		stops.push(() => cluster.stop());
		sim.configure({ callbackUrl: cluster.webhookUrl(triggerWebhookPath(subscriptions)) });
		const cookie = await cluster.setupOwner();
		const store = await openStore({
			backend: 'postgres',
			host: storeDb.host,
			port: storeDb.port,
			database: storeDb.name,
			user: storeDb.user,
			password: storeDb.password || undefined,
			schema: STORE_SCHEMA,
			keys: derivePrivacyKeys(dataProtectionKey),
		});
		stops.push(() => store.close());
		return {
			sim,
			mail,
			cluster,
			cookie,
			storeDb,
			store,
			cmsUrl: cluster.webhookUrl(cmsWebhookPath(cms)),
			cmsHeader,
			stop: stopAll,
		};
	} catch (error) {
		await stopAll();
		throw error;
	}
}

/** Waits until no execution of the workflow is queued or running (see executions.ts). */
export async function executionsFinished(env: QueueEnvironment, workflowId: string): Promise<void> {
	const done = await untilExecutionsFinished(env.cluster.baseUrl, env.cookie, workflowId, 600_000);
	if (!done) throw new Error(`Gave up waiting for the executions of ${workflowId} to finish`);
}

/** Every n8n process's log so far, by process name. */
export function clusterLogs(cluster: QueueCluster): Array<{ file: string; text: string }> {
	return [
		...cluster.processes().map((p) => ({ file: p.name, text: readFileSync(p.logFile, 'utf8') })),
		{ file: 'redis', text: readFileSync(cluster.redis.logFile, 'utf8') },
	];
}

/** Waits until `check` returns a value (not undefined); the limit only ends a hung run. */
export async function eventually<T>(
	what: string,
	check: () => T | undefined | Promise<T | undefined>,
	limitMs = 600_000,
): Promise<T> {
	const deadline = Date.now() + limitMs;
	for (;;) {
		const value = await check();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 250));
	}
}
