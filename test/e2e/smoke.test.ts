/**
 * n8n boots with our package installed as a community node and knows our node and credential
 * types under the package name, which is what the exported workflows reference. It listens only
 * on ports chosen for it, and stopping it leaves no process behind.
 */
import { listNodeTypes, startN8n, type N8nInstance } from '../../scripts/n8n/instance';
import { packageInfo } from '../../scripts/n8n/package';
import { isRunning, listeningPorts, processTree } from '../../scripts/n8n/processes';

describe('real n8n with the package installed', () => {
	let n8n: N8nInstance;
	let cookie: string;

	beforeAll(async () => {
		n8n = await startN8n({ log: () => undefined });
		cookie = await n8n.setupOwner();
	});

	afterAll(async () => {
		await n8n?.stop();
	});

	it('lists our three node types under the package name (two also as AI-agent tools)', async () => {
		const types = await listNodeTypes(n8n.baseUrl, cookie);
		const ours = types.filter((name) => name.startsWith(`${packageInfo().name}.`)).sort();
		expect(ours).toEqual([
			'n8n-nodes-civic-broadcast.consentStore',
			'n8n-nodes-civic-broadcast.consentStoreTool',
			'n8n-nodes-civic-broadcast.whatsAppBroadcast',
			'n8n-nodes-civic-broadcast.whatsAppBroadcastTool',
			'n8n-nodes-civic-broadcast.whatsAppBroadcastTrigger',
		]);
	});

	it('listens only on the free ports chosen for it: HTTP and the task broker its runner uses', () => {
		const tree = processTree(n8n.pid);
		// n8n itself and the JavaScript task runner it started (connected to the broker by now).
		expect(tree.some((p) => p.command.includes('@n8n/task-runner'))).toBe(true);
		expect(listeningPorts(tree.map((p) => p.pid))).toEqual(
			[n8n.port, n8n.taskBrokerPort].sort((a, b) => a - b),
		);
	});

	it('knows our two credential types', async () => {
		const response = await fetch(`${n8n.baseUrl}/types/credentials.json`, { headers: { cookie } });
		const names = ((await response.json()) as Array<{ name: string }>).map((c) => c.name);
		expect(names).toEqual(expect.arrayContaining(['whatsAppBroadcastApi', 'consentStoreDb']));
	});

	it('stops with its task runner: no process of its tree is left', async () => {
		const tree = processTree(n8n.pid);
		expect(tree.length).toBeGreaterThanOrEqual(2);
		await n8n.stop();
		expect(tree.filter(isRunning)).toEqual([]);
	});
});
