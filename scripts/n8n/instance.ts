/**
 * A real n8n process with our package installed, credentials and workflows imported and
 * published, on a free loopback port with a fresh user folder. Used by the end-to-end tests
 * and the sandbox. Each n8n pitfall this works around is explained where it is handled.
 *
 * Why this file is long: one n8n process's lifecycle (ports, environment, start, readiness,
 * stop with its task runner) is one sequence of workarounds that only make sense together.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { prepareDatabase, runCli, type CredentialImport, type WorkflowImport } from './cli';
import { ensureN8n, n8nBin } from './install';
import { setupOwner, type OwnerAccount, SANDBOX_OWNER } from './owner';
import { installPackageInto, packPackage } from './package';
import { isRunning, processTree, type ProcessRef } from './processes';
import { OutputTail, STARTED_LINE, startupFailure } from './startup-log';

export type { CredentialImport, WorkflowImport } from './cli';
export { listNodeTypes, SANDBOX_OWNER, type OwnerAccount } from './owner';

export interface StartOptions {
	credentials?: CredentialImport[];
	workflows?: WorkflowImport[];
	/**
	 * Production webhooks (path after `/webhook/`) to poll until they stop answering 404. Send a
	 * request the webhook refuses without starting an execution (no signature, no auth header).
	 */
	waitForWebhooks?: Array<{ path: string; method: 'GET' | 'POST' }>;
	/** A fixed HTTP port (the sandbox, the e2e environment); default: a free one. */
	port?: number;
	/** Keep the user folder elsewhere (the sandbox); default: a fresh temp folder. */
	userFolder?: string;
	/** A tarball from `packPackage()`; default: pack now. */
	tarball?: string;
	/**
	 * `unpack` (default): the tarball goes where n8n's community-node installer puts packages.
	 * `none`: the caller has installed it another way (the install tests: npm as an admin types
	 * it, or N8N_CUSTOM_EXTENSIONS in `env`).
	 */
	install?: 'unpack' | 'none';
	log?: (line: string) => void;
	/** Extra environment for n8n; wins over ours (N8N_RUNNERS_BROKER_PORT fixes the broker's port). */
	env?: Record<string, string>;
	/** Aborting stops whatever runs (an n8n CLI command, n8n itself) and rejects. */
	signal?: AbortSignal;
}

export interface N8nInstance {
	baseUrl: string;
	/** n8n's HTTP port (editor, REST API, webhooks). */
	port: number;
	/** The port of n8n's task broker, where its task runner connects (n8n's default is 5679). */
	taskBrokerPort: number;
	/** The n8n process; its task runner runs under it. */
	pid: number;
	userFolder: string;
	/** n8n's own SQLite database folder (holds database.sqlite*). */
	dataFolder: string;
	logFile: string;
	webhookUrl(path: string): string;
	/** Creates the instance owner (only possible once); returns the session cookie. */
	setupOwner(owner?: OwnerAccount): Promise<string>;
	/** Runs an n8n CLI command against this instance's database; returns its stdout. */
	cli(args: string[]): Promise<string>;
	/** Stops n8n and waits until no process it started is left. */
	stop(): Promise<void>;
}

/**
 * `count` distinct free loopback ports, none of them in `exclude`. The listeners stay open until
 * all are chosen, so the kernel cannot hand out the same port twice.
 */
export async function freePorts(count: number, exclude: readonly number[] = []): Promise<number[]> {
	const servers: Server[] = [];
	const ports: number[] = [];
	try {
		while (ports.length < count) {
			const server = createServer();
			servers.push(server);
			await new Promise<void>((resolveListen, reject) => {
				server.once('error', reject);
				server.listen(0, '127.0.0.1', () => resolveListen());
			});
			const port = (server.address() as AddressInfo).port;
			if (!exclude.includes(port)) ports.push(port);
		}
	} finally {
		await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
	}
	return ports;
}

export async function freePort(): Promise<number> {
	const [port] = await freePorts(1);
	return port;
}

/**
 * Every port n8n 2.41.1 opens with this configuration, checked in its source: the HTTP server
 * (N8N_PORT) and the task broker (N8N_RUNNERS_BROKER_PORT, default 5679) for the internal
 * JavaScript task runner. Nothing else listens here: the runner's own health-check server
 * (5681) is off and n8n does not pass it the variables to turn it on; the Python runner needs a
 * virtualenv this install lacks; the worker health check (QUEUE_HEALTH_CHECK_PORT) is queue mode
 * only; the engine-v2 servers (N8N_ENGINE_PORT, N8N_ENGINE_CONTROL_PLANE_PORT) belong to a
 * module that is off by default; metrics (N8N_METRICS) share the HTTP port.
 */
export function n8nEnv(
	userFolder: string,
	ports: { http: number; taskBroker: number },
	extra: Record<string, string>,
): NodeJS.ProcessEnv {
	const { http: port } = ports;
	const env: NodeJS.ProcessEnv = {
		...process.env,
		// Node 24 first: n8n 2.x refuses older Node, and sqlite3 was built for this one.
		PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(ports.taskBroker),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
		N8N_ENCRYPTION_KEY: extra.N8N_ENCRYPTION_KEY ?? randomBytes(24).toString('hex'),
		// No internet here, and nothing to phone home to.
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_PREVENT_LOADING: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		DB_TYPE: 'sqlite',
		...extra,
	};
	// An empty N8N_CUSTOM_EXTENSIONS makes n8n load every *.node.js under its cwd: only a
	// folder the caller names gets through.
	if (!extra.N8N_CUSTOM_EXTENSIONS) delete env.N8N_CUSTOM_EXTENSIONS;
	// Jest sets NODE_ENV=test, under which n8n exits at once without a word.
	env.NODE_ENV = 'production';
	return env;
}

async function sleep(ms: number): Promise<void> {
	await new Promise((r) => setTimeout(r, ms));
}

function abortError(signal: AbortSignal): Error {
	return signal.reason instanceof Error ? signal.reason : new Error('n8n start aborted');
}

/** Waits for n8n to finish starting, or throws what n8n said if it exits first. */
export interface Startup {
	/** Set once n8n has exited and its output is complete. */
	exit?: { code: number | null; signal: NodeJS.Signals | null };
	output: OutputTail;
	logFile: string;
	signal?: AbortSignal;
}

export async function waitFor(
	what: string,
	check: () => Promise<boolean>,
	startup: Startup,
	limitMs: number,
): Promise<void> {
	const deadline = Date.now() + limitMs;
	for (;;) {
		if (startup.signal?.aborted) throw abortError(startup.signal);
		if (startup.exit) {
			const { code, signal } = startup.exit;
			const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
			throw startupFailure(how, what, startup.output.all(), startup.logFile);
		}
		if (await check().catch(() => false)) return;
		if (Date.now() > deadline) {
			throw startupFailure(
				`was not ready within ${limitMs / 1000} s`,
				what,
				startup.output.all(),
				startup.logFile,
			);
		}
		await sleep(500);
	}
}

/** Generous: n8n takes 10-40 s to start on an idle machine and minutes on a loaded one. */
export const STARTUP_LIMIT_MS = 600_000;

export async function startN8n(options: StartOptions = {}): Promise<N8nInstance> {
	const log = options.log ?? ((line: string) => console.log(`[n8n] ${line}`));
	const { signal } = options;
	const installDir = await ensureN8n(log);
	const userFolder = options.userFolder ?? mkdtempSync(join(tmpdir(), 'civic-n8n-'));
	mkdirSync(userFolder, { recursive: true });
	const fixedBroker = options.env?.N8N_RUNNERS_BROKER_PORT;
	const fixed = [options.port, fixedBroker ? Number(fixedBroker) : undefined];
	const chosen = await freePorts(
		fixed.filter((p) => p === undefined).length,
		fixed.filter((p): p is number => p !== undefined),
	);
	const [port, taskBrokerPort] = fixed.map((p) => p ?? (chosen.shift() as number));
	const env = n8nEnv(userFolder, { http: port, taskBroker: taskBrokerPort }, options.env ?? {});
	if ((options.install ?? 'unpack') === 'unpack')
		installPackageInto(userFolder, options.tarball ?? packPackage());
	const work = join(userFolder, 'import');
	mkdirSync(work, { recursive: true });
	if (signal?.aborted) throw abortError(signal);
	await prepareDatabase(installDir, env, work, options, log, signal);
	if (signal?.aborted) throw abortError(signal);

	const logFile = join(userFolder, 'n8n.log');
	const logStream = createWriteStream(logFile);
	log(
		`starting n8n on http://127.0.0.1:${port}, task broker on port ${taskBrokerPort} (log: ${logFile})`,
	);
	const child = spawn(process.execPath, [n8nBin(installDir), 'start'], {
		cwd: join(installDir, 'node_modules', 'n8n'),
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const startup: Startup = { output: new OutputTail(), logFile, signal };
	child.once('error', (error) => startup.output.push(`could not run n8n: ${error.message}\n`));
	for (const stream of [child.stdout, child.stderr]) {
		stream?.on('data', (chunk: Buffer) => {
			logStream.write(chunk);
			startup.output.push(chunk);
		});
	}
	// 'close' comes after the last output, unlike 'exit' (the runner has pipes of its own).
	const closed = new Promise<void>((r) =>
		child.once('close', (code, exitSignal) => {
			startup.exit = { code, signal: exitSignal };
			r();
		}),
	);
	// If this process ends without stop() (an uncaught error, process.exit), n8n goes with it.
	const killOnExit = () => child.kill('SIGKILL');
	process.once('exit', killOnExit);
	const baseUrl = `http://127.0.0.1:${port}`;
	const webhookUrl = (path: string) => `${baseUrl}/webhook/${path.replace(/^\//, '')}`;

	// The processes seen under n8n (its task runner), to wait for when stopping.
	let seen: ProcessRef[] = [];
	const look = () => {
		const known = new Set(seen.map((p) => `${p.pid}@${p.startTime}`));
		seen = [
			...seen,
			...processTree(child.pid ?? -1).filter((p) => !known.has(`${p.pid}@${p.startTime}`)),
		];
	};
	let stopping: Promise<void> | undefined;
	const stop = () => {
		stopping ??= (async () => {
			if (!startup.exit) {
				look();
				child.kill('SIGTERM');
				// n8n gives itself N8N_GRACEFUL_SHUTDOWN_TIMEOUT (10 s); this only ends a hang.
				const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
				await closed;
				clearTimeout(timer);
			}
			await untilGone(seen);
			process.off('exit', killOnExit);
			await new Promise((r) => logStream.end(r));
		})();
		return stopping;
	};
	const onAbort = () => void stop();
	signal?.addEventListener('abort', onAbort, { once: true });

	try {
		// /healthz answers 200 while n8n is still starting; readiness waits for the database.
		const ready = async () => (await fetch(`${baseUrl}/healthz/readiness`)).status === 200;
		await waitFor('/healthz/readiness', ready, startup, STARTUP_LIMIT_MS);
		// The task broker and runner start after the database; n8n says when all is up.
		await waitFor(
			`"${STARTED_LINE}"`,
			async () => startup.output.started,
			startup,
			STARTUP_LIMIT_MS,
		);
		// Published workflows are activated in the background after /healthz answers.
		for (const { path, method } of options.waitForWebhooks ?? []) {
			await waitFor(
				`webhook ${method} ${path}`,
				async () => {
					const response = await fetch(webhookUrl(path), { method });
					await response.arrayBuffer();
					return response.status !== 404;
				},
				startup,
				STARTUP_LIMIT_MS,
			);
		}
	} catch (error) {
		await stop();
		throw error;
	} finally {
		signal?.removeEventListener('abort', onAbort);
	}
	look();
	log(`n8n is up at ${baseUrl}`);
	return {
		baseUrl,
		port,
		taskBrokerPort,
		pid: child.pid as number,
		userFolder,
		dataFolder: join(userFolder, '.n8n'),
		logFile,
		webhookUrl,
		setupOwner: (owner = SANDBOX_OWNER) => setupOwner(baseUrl, owner),
		cli: (args) => runCli(installDir, env, args),
		stop,
	};
}

/**
 * n8n stops its task runner before it exits, and a runner whose n8n died exits when the broker
 * connection drops; either way it can outlive n8n by a moment. Waits for that, then kills
 * whatever is left, so that a stopped instance leaves no process and no port behind.
 */
export async function untilGone(tree: readonly ProcessRef[]): Promise<void> {
	const deadline = Date.now() + 30_000;
	while (tree.some(isRunning)) {
		if (Date.now() > deadline) {
			for (const ref of tree.filter(isRunning)) process.kill(ref.pid, 'SIGKILL');
			return;
		}
		await sleep(100);
	}
}
