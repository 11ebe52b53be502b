/**
 * A crash and a restart of a single n8n (instance.ts), as a power cut or the OOM killer would do
 * it: SIGKILL to n8n and its task runner at once, nothing written on the way out, then `n8n start`
 * again on the same user folder, database and ports. The crash tests in test/e2e use it.
 */
import { existsSync, renameSync } from 'node:fs';

import { startN8n, untilGone, type N8nInstance, type StartOptions } from './instance';
import { processTree } from './processes';

/**
 * SIGKILLs the whole process tree (n8n and its task runner) in one go, waits until none of it is
 * left, then releases what the instance held in this process (its log stream, its exit hook).
 */
export async function killN8n(n8n: N8nInstance): Promise<void> {
	const tree = processTree(n8n.pid);
	for (const ref of tree) {
		try {
			process.kill(ref.pid, 'SIGKILL');
		} catch {
			// Gone between listing and killing.
		}
	}
	await untilGone(tree);
	// Nothing is left to stop: this only closes the log and removes the exit hook.
	await n8n.stop();
}

export interface RestartOptions {
	/**
	 * The same environment as the first start: at least N8N_ENCRYPTION_KEY (otherwise n8n would
	 * make a new key and could not read the imported credentials).
	 */
	env: Record<string, string> & { N8N_ENCRYPTION_KEY: string };
	log?: StartOptions['log'];
	waitForWebhooks?: StartOptions['waitForWebhooks'];
	signal?: AbortSignal;
}

/**
 * Starts n8n again on a stopped or killed instance's user folder, database, HTTP and broker ports;
 * nothing is imported or installed (the package and the published workflows are already there).
 * The previous run's log is kept as `n8n.<n>.log` beside the new one.
 */
export async function restartN8n(
	previous: N8nInstance,
	options: RestartOptions,
): Promise<N8nInstance> {
	let n = 1;
	while (existsSync(previous.logFile.replace(/\.log$/, `.${n}.log`))) n++;
	if (existsSync(previous.logFile))
		renameSync(previous.logFile, previous.logFile.replace(/\.log$/, `.${n}.log`));
	return startN8n({
		port: previous.port,
		userFolder: previous.userFolder,
		install: 'none',
		env: { ...options.env, N8N_RUNNERS_BROKER_PORT: String(previous.taskBrokerPort) },
		log: options.log,
		waitForWebhooks: options.waitForWebhooks,
		signal: options.signal,
	});
}
