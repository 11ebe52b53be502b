/**
 * n8n's command line against an instance's database: importing credentials and workflows,
 * publishing them, and checking they are really published (publish:workflow can log an error
 * and still exit 0). All of it runs before `n8n start`, since the CLI writes to the database.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { n8nBin } from './install';

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

export function runCli(
	installDir: string,
	env: NodeJS.ProcessEnv,
	args: string[],
	signal?: AbortSignal,
): Promise<string> {
	return new Promise((resolveRun, reject) => {
		// An abort kills the command (SIGTERM) and rejects with an AbortError.
		const child = spawn(process.execPath, [n8nBin(installDir), ...args], {
			cwd: join(installDir, 'node_modules', 'n8n'),
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
			signal,
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

export interface DatabaseContent {
	credentials?: CredentialImport[];
	workflows?: WorkflowImport[];
}

/** Imports, publishes and checks; all before `n8n start`, since the CLI writes to the database. */
export async function prepareDatabase(
	installDir: string,
	env: NodeJS.ProcessEnv,
	work: string,
	options: DatabaseContent,
	log: (line: string) => void,
	signal?: AbortSignal,
): Promise<void> {
	const cli = (args: string[]) => runCli(installDir, env, args, signal);
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
