/**
 * One n8n process of a queue-mode cluster (`n8n start`, `n8n worker` or `n8n webhook`): spawned
 * with its output in a log file of its own and kept in memory for startup errors, and stopped
 * with every process under it (its task runner). The single-process instance (instance.ts) does
 * the same inline; the pieces that explain n8n's quirks (waitFor, untilGone) are shared.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';

import { n8nBin } from './install';
import { STARTUP_LIMIT_MS, untilGone, waitFor, type Startup } from './instance';
import { processTree, type ProcessRef } from './processes';
import { OutputTail } from './startup-log';

export type N8nRole = 'main' | 'worker' | 'webhook';

export interface N8nProcess {
	/** `main`, `worker-1`, `webhook-1`, … */
	name: string;
	role: N8nRole;
	pid: number;
	logFile: string;
	/** The ports this process was told to listen on (HTTP or health, task broker). */
	ports: number[];
	output: OutputTail;
	/** Whether the process has exited. */
	readonly exited: boolean;
	/** Every process seen under this one so far (itself included). */
	tree(): ProcessRef[];
	/** Polls `check` until true; throws with n8n's own words if the process exits first. */
	until(what: string, check: () => Promise<boolean>, limitMs?: number): Promise<void>;
	/** SIGTERM, then waits for the whole tree to be gone (SIGKILL only ends a hang). */
	stop(): Promise<void>;
}

const COMMAND: Record<N8nRole, string[]> = {
	main: ['start'],
	worker: ['worker'],
	webhook: ['webhook'],
};

export function spawnN8nProcess(options: {
	installDir: string;
	name: string;
	role: N8nRole;
	env: NodeJS.ProcessEnv;
	ports: number[];
	logFile: string;
	args?: string[];
	signal?: AbortSignal;
}): N8nProcess {
	const { installDir, role, env, logFile, signal } = options;
	const logStream = createWriteStream(logFile);
	const child = spawn(
		process.execPath,
		[n8nBin(installDir), ...COMMAND[role], ...(options.args ?? [])],
		{
			cwd: join(installDir, 'node_modules', 'n8n'),
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
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
	const killOnExit = () => child.kill('SIGKILL');
	process.once('exit', killOnExit);

	let seen: ProcessRef[] = [];
	const look = () => {
		const known = new Set(seen.map((p) => `${p.pid}@${p.startTime}`));
		seen = [
			...seen,
			...processTree(child.pid ?? -1).filter((p) => !known.has(`${p.pid}@${p.startTime}`)),
		];
		return seen;
	};
	let stopping: Promise<void> | undefined;
	const stop = () => {
		stopping ??= (async () => {
			if (!startup.exit) {
				look();
				child.kill('SIGTERM');
				// n8n gives itself N8N_GRACEFUL_SHUTDOWN_TIMEOUT; this only ends a hang.
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
	return {
		name: options.name,
		role,
		pid: child.pid as number,
		logFile,
		ports: options.ports,
		output: startup.output,
		get exited() {
			return startup.exit !== undefined;
		},
		tree: look,
		until: async (what, check, limitMs = STARTUP_LIMIT_MS) => {
			await waitFor(what, check, startup, limitMs);
			look();
		},
		stop,
	};
}
