/**
 * The process tree under a pid and the ports it listens on, read from /proc: what stopping n8n
 * waits for and what the end-to-end tests check is gone afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';

import { isRunning, listeningPorts, processTree } from '../../scripts/n8n/processes';

// A parent that starts a child listening on a free port and prints the port.
const PARENT = `
const { spawn } = require('node:child_process');
const child = spawn(process.execPath, ['-e', \`
  const server = require('node:net').createServer();
  server.listen(0, '127.0.0.1', () => console.log(server.address().port));
\`], { stdio: ['ignore', 'inherit', 'inherit'] });
setInterval(() => {}, 1000);
`;

describe('process tree and listening ports', () => {
	let parent: ChildProcess;

	afterEach(() => {
		if (parent?.pid && parent.exitCode === null) process.kill(-parent.pid, 'SIGKILL');
	});

	it('finds the child a process started, its listening port, and notices when both are gone', async () => {
		parent = spawn(process.execPath, ['-e', PARENT], {
			stdio: ['ignore', 'pipe', 'inherit'],
			detached: true,
		});
		const port = await new Promise<number>((resolve) =>
			parent.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
		);
		const tree = processTree(parent.pid as number);
		expect(tree.map((p) => p.pid)[0]).toBe(parent.pid);
		expect(tree).toHaveLength(2);
		expect(tree[1].command).toContain('createServer');
		expect(listeningPorts(tree.map((p) => p.pid))).toEqual([port]);
		expect(listeningPorts([parent.pid as number])).toEqual([]);
		expect(tree.every(isRunning)).toBe(true);

		const exited = new Promise((r) => parent.once('exit', r));
		process.kill(-(parent.pid as number), 'SIGKILL');
		await exited;
		// The orphaned child is reaped by init; until then it is a zombie, which counts as gone.
		while (isRunning(tree[1])) await new Promise((r) => setImmediate(r));
		expect(tree.some(isRunning)).toBe(false);
		expect(processTree(parent.pid as number)).toEqual([]);
	});
});
