/**
 * A real n8n in queue mode on one machine: a private Redis, a fresh PostgreSQL database for n8n's
 * own tables, one main process (editor, REST API, production webhooks, the queue's producer), two
 * workers (`n8n worker`, which run the executions) and optionally webhook processors
 * (`n8n webhook`). Every process has the built package installed the way n8n's community-node
 * installer puts it, its own user folder, log file and free ports, and the same encryption key.
 * Credentials and workflows are imported and published with n8n's CLI before anything starts.
 * `stop()` leaves no process, no port and no database behind.
 *
 * The variables are n8n 2.41.1's, read in @n8n/config (scaling-mode, database, task-runners,
 * executions) and the worker and webhook commands; each is explained where it is set.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { prepareDatabase, runCli, type CredentialImport, type WorkflowImport } from './cli';
import { ensureN8n } from './install';
import { freePorts, n8nEnv } from './instance';
import { spawnN8nProcess, type N8nProcess, type N8nRole } from './n8n-process';
import { setupOwner, SANDBOX_OWNER, type OwnerAccount } from './owner';
import { installPackageInto, packPackage } from './package';
import { createDatabase, type TempDatabase } from './postgres-database';
import { startRedis, type RedisServer } from './redis-server';
import { STARTED_LINE } from './startup-log';

export interface QueueClusterOptions {
	credentials?: CredentialImport[];
	workflows?: WorkflowImport[];
	/** Production webhooks to poll (on main and every webhook processor) until they stop answering 404. */
	waitForWebhooks?: Array<{ path: string; method: 'GET' | 'POST' }>;
	/** Number of `n8n worker` processes (default 2). */
	workers?: number;
	/** Number of `n8n webhook` processes (default 0: main serves production webhooks). */
	webhookProcessors?: number;
	/** Jobs one worker runs at once (`n8n worker --concurrency`, n8n's default 10). */
	workerConcurrency?: number;
	/** A tarball from `packPackage()`; default: pack now. */
	tarball?: string;
	/** Extra environment for every n8n process; wins over ours. */
	env?: Record<string, string>;
	/** Keep the work folder (logs, user folders) after stop. */
	keep?: boolean;
	log?: (line: string) => void;
	signal?: AbortSignal;
}

export interface QueueCluster {
	/** Main's base URL: editor, REST API, and production webhooks when there is no webhook processor. */
	baseUrl: string;
	/** Where Meta and the CMS should post: the first webhook processor, else main. */
	webhookBaseUrl: string;
	webhookUrl(path: string): string;
	main: N8nProcess;
	workers: N8nProcess[];
	webhookProcessors: N8nProcess[];
	redis: RedisServer;
	/** n8n's own database (dropped by stop). */
	database: TempDatabase;
	workDir: string;
	/** Milliseconds from the call to every process being ready. */
	startupMs: number;
	/** Every n8n process, main first. */
	processes(): N8nProcess[];
	/** Creates the instance owner (only possible once); returns the session cookie. */
	setupOwner(owner?: OwnerAccount): Promise<string>;
	/** Runs an n8n CLI command against the cluster's database; returns its stdout. */
	cli(args: string[]): Promise<string>;
	/** Stops every n8n process, then Redis, then drops n8n's database; waits until all is gone. */
	stop(): Promise<void>;
}

/**
 * Everything every process shares. DB_POSTGRESDB_* and DB_TYPE: @n8n/config database.config;
 * EXECUTIONS_MODE: executions.config; QUEUE_BULL_*: scaling-mode.config. The encryption key must
 * be the same everywhere, or a worker cannot read the credentials main imported.
 */
function clusterEnv(
	database: TempDatabase,
	redis: RedisServer,
	encryptionKey: string,
): Record<string, string> {
	return {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: database.host,
		DB_POSTGRESDB_PORT: String(database.port),
		DB_POSTGRESDB_DATABASE: database.name,
		DB_POSTGRESDB_USER: database.user,
		DB_POSTGRESDB_PASSWORD: database.password,
		// n8n's default pool is 2 connections per process. Its connection monitor pings through the
		// same pool every 2 s with a 5 s limit; under a burst of webhooks the pool stays busy, the
		// ping times out, n8n marks the database as lost and answers every request 503 "Database
		// is not ready!" until a ping gets through (seen here with 330 webhooks in 40 s).
		DB_POSTGRESDB_POOL_SIZE: '10',
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		N8N_ENCRYPTION_KEY: encryptionKey,
		// Manual runs from the editor go to the workers too, as in a production setup.
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
	};
}

export async function startQueueCluster(options: QueueClusterOptions = {}): Promise<QueueCluster> {
	const started = Date.now();
	const log = options.log ?? ((line: string) => console.log(`[queue] ${line}`));
	const { signal } = options;
	const workerCount = options.workers ?? 2;
	const webhookCount = options.webhookProcessors ?? 0;
	const installDir = await ensureN8n(log);
	const workDir = mkdtempSync(join(tmpdir(), 'civic-queue-'));
	const tarball = options.tarball ?? packPackage(workDir);

	// main: HTTP + broker; each worker: health server + broker; each webhook processor: HTTP + broker;
	// Redis. All drawn at once so that none repeats.
	const ports = await freePorts(2 + 2 * workerCount + 2 * webhookCount + 1);
	const take = () => ports.shift() as number;
	const mainPorts = { http: take(), taskBroker: take() };
	const workerPorts = Array.from({ length: workerCount }, () => ({
		health: take(),
		taskBroker: take(),
	}));
	const webhookPorts = Array.from({ length: webhookCount }, () => ({
		http: take(),
		taskBroker: take(),
	}));
	const redisPort = take();

	const cleanups: Array<() => Promise<void>> = [];
	const cleanUp = async () => {
		for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
		if (!options.keep) rmSync(workDir, { recursive: true, force: true });
	};
	const processes: N8nProcess[] = [];
	try {
		const database = await createDatabase('civic_n8n');
		cleanups.push(() => database.drop());
		const redis = await startRedis(join(workDir, 'redis'), redisPort);
		cleanups.push(() => redis.stop());
		log(`redis on ${redis.port}, n8n database ${database.name}`);
		cleanups.push(async () => {
			await Promise.all(processes.map((p) => p.stop()));
		});

		const shared = {
			...clusterEnv(database, redis, randomBytes(24).toString('hex')),
			...options.env,
		};
		const userFolder = (name: string) => {
			const folder = join(workDir, name);
			mkdirSync(folder, { recursive: true });
			installPackageInto(folder, tarball);
			return folder;
		};
		const mainUrl = `http://127.0.0.1:${mainPorts.http}`;
		const mainEnv = n8nEnv(userFolder('main'), mainPorts, shared);
		// Only main needs the import; the CLI migrates the fresh database first.
		const importDir = join(workDir, 'import');
		mkdirSync(importDir, { recursive: true });
		await prepareDatabase(installDir, mainEnv, importDir, options, log, signal);
		log(
			`n8n's database migrated and imported after ${Math.round((Date.now() - started) / 1000)} s`,
		);

		const spawnRole = (
			name: string,
			role: N8nRole,
			env: NodeJS.ProcessEnv,
			ownPorts: number[],
			args: string[] = [],
		) => {
			const child = spawnN8nProcess({
				installDir,
				name,
				role,
				env,
				ports: ownPorts,
				logFile: join(workDir, `${name}.log`),
				args,
				signal,
			});
			processes.push(child);
			return child;
		};

		const main = spawnRole('main', 'main', mainEnv, [mainPorts.http, mainPorts.taskBroker]);
		const workers = workerPorts.map((p, index) => {
			const name = `worker-${index + 1}`;
			// The worker's HTTP server (health checks) opens only when QUEUE_HEALTH_CHECK_ACTIVE is
			// set; on QUEUE_HEALTH_CHECK_PORT and N8N_WORKER_SERVER_ADDRESS (default ::, all
			// interfaces). N8N_PORT and WEBHOOK_URL stay main's: a worker builds links with them.
			const env = n8nEnv(
				userFolder(name),
				{ http: mainPorts.http, taskBroker: p.taskBroker },
				{
					...shared,
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(p.health),
					N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
				},
			);
			const args = [`--concurrency=${options.workerConcurrency ?? 10}`];
			return spawnRole(name, 'worker', env, [p.health, p.taskBroker], args);
		});
		const webhookProcessors = webhookPorts.map((p, index) => {
			const name = `webhook-${index + 1}`;
			const env = n8nEnv(userFolder(name), p, { ...shared, WEBHOOK_URL: `${mainUrl}/` });
			return spawnRole(name, 'webhook', env, [p.http, p.taskBroker]);
		});
		for (const p of processes)
			log(`${p.name}: pid ${p.pid}, ports ${p.ports.join(', ')}, log ${p.logFile}`);

		const ok = async (url: string) => {
			const response = await fetch(url);
			await response.arrayBuffer();
			return response.status === 200;
		};
		await Promise.all([
			(async () => {
				// /healthz answers while n8n is still starting; readiness waits for the database.
				await main.until('/healthz/readiness', () => ok(`${mainUrl}/healthz/readiness`));
				await main.until(`"${STARTED_LINE}"`, async () => main.output.started);
			})(),
			...workers.map((worker, index) =>
				worker.until('the worker’s /healthz/readiness', () =>
					ok(`http://127.0.0.1:${workerPorts[index].health}/healthz/readiness`),
				),
			),
			...webhookProcessors.map((processor, index) =>
				processor.until('the webhook processor’s /healthz/readiness', () =>
					ok(`http://127.0.0.1:${webhookPorts[index].http}/healthz/readiness`),
				),
			),
		]);
		const webhookBases = [mainUrl, ...webhookPorts.map((p) => `http://127.0.0.1:${p.http}`)];
		// Published workflows are activated in the background after main is up; webhook
		// processors find them in the database.
		for (const base of webhookBases) {
			for (const { path, method } of options.waitForWebhooks ?? []) {
				await main.until(`webhook ${method} ${path} on ${base}`, async () => {
					const response = await fetch(`${base}/webhook/${path}`, { method });
					await response.arrayBuffer();
					return response.status !== 404;
				});
			}
		}
		for (const p of processes) p.tree();
		const webhookBaseUrl = webhookBases[webhookPorts.length > 0 ? 1 : 0];
		const startupMs = Date.now() - started;
		log(
			`queue cluster up after ${Math.round(startupMs / 1000)} s: ${processes.map((p) => p.name).join(', ')}`,
		);
		let stopping: Promise<void> | undefined;
		return {
			baseUrl: mainUrl,
			webhookBaseUrl,
			webhookUrl: (path) => `${webhookBaseUrl}/webhook/${path.replace(/^\//, '')}`,
			main,
			workers,
			webhookProcessors,
			redis,
			database,
			workDir,
			startupMs,
			processes: () => [...processes],
			setupOwner: (owner = SANDBOX_OWNER) => setupOwner(mainUrl, owner),
			cli: (args) => runCli(installDir, mainEnv, args),
			stop: () => (stopping ??= cleanUp()),
		};
	} catch (error) {
		await cleanUp();
		throw error;
	}
}
