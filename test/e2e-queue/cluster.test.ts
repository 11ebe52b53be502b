/**
 * The queue-mode harness itself: main, two workers and a webhook processor come up on ports we
 * chose, share one private Redis and one fresh PostgreSQL database, run our package, and leave
 * nothing behind when stopped (no process, no listening port, no database).
 */
import { createServer } from 'node:net';

import { databaseExists } from '../../scripts/n8n/postgres-database';
import {
	isRunning,
	listeningPorts,
	processTree,
	type ProcessRef,
} from '../../scripts/n8n/processes';
import { startQueueCluster, type QueueCluster } from '../../scripts/n8n/queue-cluster';
import { listNodeTypes } from '../../scripts/n8n/owner';

async function isFree(port: number): Promise<boolean> {
	const server = createServer();
	return new Promise((resolve) => {
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

describe('queue-mode cluster', () => {
	let cluster: QueueCluster | undefined;

	afterAll(async () => {
		await cluster?.stop();
	});

	it('starts main, two workers and a webhook processor on chosen ports and stops without a trace', async () => {
		cluster = await startQueueCluster({
			webhookProcessors: 1,
			log: (line) => process.stdout.write(`[queue] ${line}\n`),
		});
		process.stdout.write(`[queue] cluster start took ${cluster.startupMs} ms\n`);
		const names = cluster.processes().map((p) => p.name);
		expect(names).toEqual(['main', 'worker-1', 'worker-2', 'webhook-1']);
		expect(cluster.webhookBaseUrl).not.toBe(cluster.baseUrl);

		// Every process is in queue mode against the same Redis: each says so in its log.
		expect(cluster.workers.map((w) => w.output.all().join('\n'))).toEqual([
			expect.stringContaining('n8n worker is now ready'),
			expect.stringContaining('n8n worker is now ready'),
		]);
		const redisClients = await cluster.redis.command('INFO clients');
		expect(Number(/connected_clients:(\d+)/.exec(redisClients)?.[1])).toBeGreaterThanOrEqual(4);

		// Our package is loaded (main lists its node types to the owner).
		const cookie = await cluster.setupOwner();
		const types = await listNodeTypes(cluster.baseUrl, cookie);
		expect(types).toEqual(
			expect.arrayContaining([
				'n8n-nodes-civic-broadcast.consentStore',
				'n8n-nodes-civic-broadcast.whatsAppBroadcast',
				'n8n-nodes-civic-broadcast.whatsAppBroadcastTrigger',
			]),
		);

		// n8n's tables are in the cluster's own PostgreSQL database.
		const tables = await cluster.database.withClient(
			async (client) =>
				(
					await client.query<{ n: string }>(
						`SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'execution_entity'`,
					)
				).rows[0].n,
		);
		expect(tables).toBe('1');

		// Each process listens only on ports we chose for it (its task runner included).
		const trees = new Map<string, ProcessRef[]>(cluster.processes().map((p) => [p.name, p.tree()]));
		for (const p of cluster.processes()) {
			const listening = listeningPorts((trees.get(p.name) ?? []).map((ref) => ref.pid));
			expect({
				name: p.name,
				unexpected: listening.filter((port) => !p.ports.includes(port)),
			}).toEqual({
				name: p.name,
				unexpected: [],
			});
			expect(listening.length).toBeGreaterThan(0);
		}
		const allPorts = [...cluster.processes().flatMap((p) => p.ports), cluster.redis.port];
		expect(new Set(allPorts).size).toBe(allPorts.length);
		const everyProcess = [...trees.values()].flat();
		expect(everyProcess.length).toBeGreaterThanOrEqual(4);
		const databaseName = cluster.database.name;
		const redisProcess = processTree(cluster.redis.pid);
		expect(redisProcess).toHaveLength(1);

		const stopped = cluster;
		cluster = undefined;
		await stopped.stop();

		expect(everyProcess.filter(isRunning).map((p) => p.command)).toEqual([]);
		expect(redisProcess.filter(isRunning)).toEqual([]);
		for (const port of allPorts)
			expect({ port, free: await isFree(port) }).toEqual({ port, free: true });
		expect(await databaseExists(databaseName)).toBe(false);
	});
});
