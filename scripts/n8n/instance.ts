/**
 * A real n8n process with our package installed, credentials and workflows imported and
 * published, on a free loopback port with a fresh user folder. Used by the end-to-end tests
 * and the sandbox. Pitfalls this works around are in shared/reference/real-n8n.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { prepareDatabase, runCli, type CredentialImport, type WorkflowImport } from './cli';
import { ensureN8n, n8nBin } from './install';
import { setupOwner, type OwnerAccount, SANDBOX_OWNER } from './owner';
import { installPackageInto, packPackage } from './package';

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
	/** A fixed port (the sandbox); default: a free one. */
	port?: number;
	/** Keep the user folder elsewhere (the sandbox); default: a fresh temp folder. */
	userFolder?: string;
	/** A tarball from `packPackage()`; default: pack now. */
	tarball?: string;
	log?: (line: string) => void;
	env?: Record<string, string>;
}

export interface N8nInstance {
	baseUrl: string;
	port: number;
	userFolder: string;
	/** n8n's own SQLite database folder (holds database.sqlite*). */
	dataFolder: string;
	logFile: string;
	webhookUrl(path: string): string;
	/** Creates the instance owner (only possible once); returns the session cookie. */
	setupOwner(owner?: OwnerAccount): Promise<string>;
	/** Runs an n8n CLI command against this instance's database; returns its stdout. */
	cli(args: string[]): Promise<string>;
	stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
	return new Promise((resolvePort, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolvePort(port));
		});
	});
}

function n8nEnv(
	userFolder: string,
	port: number,
	extra: Record<string, string>,
): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {
		...process.env,
		// Node 24 first: n8n 2.x refuses older Node, and sqlite3 was built for this one.
		PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
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
	// An empty N8N_CUSTOM_EXTENSIONS makes n8n load every *.node.js under its cwd.
	delete env.N8N_CUSTOM_EXTENSIONS;
	// Jest sets NODE_ENV=test, under which n8n exits at once without a word.
	env.NODE_ENV = 'production';
	return env;
}

async function sleep(ms: number): Promise<void> {
	await new Promise((r) => setTimeout(r, ms));
}

async function waitFor(
	what: string,
	check: () => Promise<boolean>,
	child: ChildProcess,
	logFile: string,
	limitMs: number,
): Promise<void> {
	const deadline = Date.now() + limitMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null)
			throw new Error(`n8n exited (${child.exitCode}) while waiting for ${what}; see ${logFile}`);
		if (await check().catch(() => false)) return;
		await sleep(500);
	}
	throw new Error(`n8n: ${what} not ready within ${limitMs / 1000} s; see ${logFile}`);
}

export async function startN8n(options: StartOptions = {}): Promise<N8nInstance> {
	const log = options.log ?? ((line: string) => console.log(`[n8n] ${line}`));
	const installDir = await ensureN8n(log);
	const userFolder = options.userFolder ?? mkdtempSync(join(tmpdir(), 'civic-n8n-'));
	mkdirSync(userFolder, { recursive: true });
	const port = options.port ?? (await freePort());
	const env = n8nEnv(userFolder, port, options.env ?? {});
	const tarball = options.tarball ?? packPackage();
	installPackageInto(userFolder, tarball);
	const work = join(userFolder, 'import');
	mkdirSync(work, { recursive: true });
	await prepareDatabase(installDir, env, work, options, log);

	const logFile = join(userFolder, 'n8n.log');
	const logStream = createWriteStream(logFile);
	log(`starting n8n on http://127.0.0.1:${port} (log: ${logFile})`);
	const child = spawn(process.execPath, [n8nBin(installDir), 'start'], {
		cwd: join(installDir, 'node_modules', 'n8n'),
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	child.stdout?.pipe(logStream);
	child.stderr?.pipe(logStream);
	const exited = new Promise<void>((r) => child.once('exit', () => r()));
	const baseUrl = `http://127.0.0.1:${port}`;
	const webhookUrl = (path: string) => `${baseUrl}/webhook/${path.replace(/^\//, '')}`;

	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
			await exited;
			clearTimeout(timer);
		}
		logStream.end();
	};

	try {
		// /healthz answers 200 while n8n is still starting; readiness waits for the database.
		const ready = async () => (await fetch(`${baseUrl}/healthz/readiness`)).status === 200;
		await waitFor('/healthz/readiness', ready, child, logFile, 120_000);
		// Published workflows are activated in the background after /healthz answers.
		for (const { path, method } of options.waitForWebhooks ?? []) {
			await waitFor(
				`webhook ${method} ${path}`,
				async () => {
					const response = await fetch(webhookUrl(path), { method });
					await response.arrayBuffer();
					return response.status !== 404;
				},
				child,
				logFile,
				120_000,
			);
		}
	} catch (error) {
		await stop();
		throw error;
	}
	log(`n8n is up at ${baseUrl}`);
	return {
		baseUrl,
		port,
		userFolder,
		dataFolder: join(userFolder, '.n8n'),
		logFile,
		webhookUrl,
		setupOwner: (owner = SANDBOX_OWNER) => setupOwner(baseUrl, owner),
		cli: (args) => runCli(installDir, env, args),
		stop,
	};
}
