/**
 * A real n8n process with our package installed, credentials and workflows imported and
 * published, on a free loopback port with a fresh user folder. Used by the end-to-end tests
 * and the sandbox. Pitfalls this works around are in shared/reference/real-n8n.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { ensureN8n, n8nBin } from './install';
import { installPackageInto, packPackage } from './package';

/** One credential as `n8n import:credentials` takes it (data in plain text; n8n encrypts it). */
export interface CredentialImport {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

/** One workflow as exported (a parsed workflows/*.json), possibly adapted by the caller. */
export interface WorkflowImport {
	id?: string;
	name: string;
	nodes: unknown[];
	connections: unknown;
	[key: string]: unknown;
}

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

export interface OwnerAccount {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

/** A local throwaway owner, new for every process (n8n wants a digit and a capital letter). */
export const SANDBOX_OWNER: OwnerAccount = {
	email: 'admin@musterdorf.example',
	password: `Sandbox-${randomBytes(5).toString('hex')}-7Q`,
	firstName: 'Sandbox',
	lastName: 'Admin',
};

async function setupOwner(baseUrl: string, owner: OwnerAccount): Promise<string> {
	const response = await fetch(`${baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(owner),
	});
	if (!response.ok)
		throw new Error(`owner setup answered ${response.status}: ${await response.text()}`);
	const cookie = response.headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.join('; ');
	if (!cookie) throw new Error('owner setup returned no session cookie');
	return cookie;
}

/** Names of every node type the running n8n knows (needs a session cookie). */
export async function listNodeTypes(baseUrl: string, cookie: string): Promise<string[]> {
	const response = await fetch(`${baseUrl}/types/nodes.json`, { headers: { cookie } });
	if (!response.ok) throw new Error(`/types/nodes.json answered ${response.status}`);
	const types = (await response.json()) as Array<{ name: string }>;
	return [...new Set(types.map((t) => t.name))];
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

function runCli(installDir: string, env: NodeJS.ProcessEnv, args: string[]): Promise<string> {
	return new Promise((resolveRun, reject) => {
		const child = spawn(process.execPath, [n8nBin(installDir), ...args], {
			cwd: join(installDir, 'node_modules', 'n8n'),
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		let err = '';
		child.stdout.on('data', (c: Buffer) => (out += c.toString()));
		child.stderr.on('data', (c: Buffer) => (err += c.toString()));
		child.on('error', reject);
		child.on('close', (code) => {
			if (code === 0) resolveRun(out);
			else reject(new Error(`n8n ${args.join(' ')} exited with ${code}:\n${out}\n${err}`.trim()));
		});
	});
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

/** Imports, publishes and checks; all before `n8n start`, since the CLI writes to the database. */
async function prepareDatabase(
	installDir: string,
	env: NodeJS.ProcessEnv,
	work: string,
	options: StartOptions,
	log: (line: string) => void,
): Promise<void> {
	const cli = (args: string[]) => runCli(installDir, env, args);
	if (options.credentials?.length) {
		const file = join(work, 'credentials.json');
		writeFileSync(file, JSON.stringify(options.credentials));
		log(`importing ${options.credentials.length} credentials`);
		await cli(['import:credentials', `--input=${file}`]);
	}
	const workflows = options.workflows ?? [];
	if (workflows.length === 0) return;
	const dir = join(work, 'workflows');
	mkdirSync(dir, { recursive: true });
	workflows.forEach((workflow, index) => {
		writeFileSync(join(dir, `${index}.json`), JSON.stringify(workflow));
	});
	log(`importing ${workflows.length} workflows`);
	await cli(['import:workflow', '--separate', `--input=${dir}`]);
	const ids = parseWorkflowList(await cli(['list:workflow']));
	for (const workflow of workflows) {
		const id = ids.get(workflow.name);
		if (!id) throw new Error(`Workflow "${workflow.name}" is missing after import`);
		log(`publishing "${workflow.name}" (${id})`);
		await cli(['publish:workflow', `--id=${id}`]);
	}
	// publish:workflow can log an error and still exit 0: check what is really active.
	const active = parseWorkflowList(await cli(['list:workflow', '--active=true']));
	const inactive = workflows.filter((w) => !active.has(w.name)).map((w) => w.name);
	if (inactive.length > 0)
		throw new Error(`Not published after publish:workflow: ${inactive.join(', ')}`);
}

/** `n8n list:workflow` prints `id|name` per line. */
export function parseWorkflowList(output: string): Map<string, string> {
	const byName = new Map<string, string>();
	for (const line of output.split('\n')) {
		const bar = line.indexOf('|');
		if (bar <= 0) continue;
		byName.set(line.slice(bar + 1).trim(), line.slice(0, bar).trim());
	}
	return byName;
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
