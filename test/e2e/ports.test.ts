/**
 * Another n8n on the machine (or anything else on n8n's default ports 5678 and 5679) must not
 * stop ours: the sandbox comes up on other ports and Ctrl-C leaves nothing behind. When n8n does
 * exit while starting, the error quotes the line in which n8n said why.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startN8n } from '../../scripts/n8n/instance';
import { PACKAGE_ROOT } from '../../scripts/n8n/package';
import {
	isRunning,
	listeningPorts,
	processTree,
	type ProcessRef,
} from '../../scripts/n8n/processes';
import { eventually } from './support/environment';

/** Listens on the port; undefined if something else already does (then it is taken anyway). */
async function hold(port: number): Promise<Server | undefined> {
	const server = createServer();
	return new Promise((resolve, reject) => {
		server.once('error', (error: NodeJS.ErrnoException) =>
			error.code === 'EADDRINUSE' ? resolve(undefined) : reject(error),
		);
		server.listen(port, '127.0.0.1', () => resolve(server));
	});
}

/** `npm run citizen -- <args>` against the sandbox in `CIVIC_SANDBOX_DIR`; its output. */
async function runCitizen(sandboxDir: string, args: string[]): Promise<string> {
	// The npm script runs tsx's CLI; `node --import tsx` is the same without a second process.
	const run = spawn(process.execPath, ['--import', 'tsx', 'scripts/citizen.ts', ...args], {
		cwd: PACKAGE_ROOT,
		env: { ...process.env, CIVIC_SANDBOX_DIR: sandboxDir },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	run.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
	run.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
	const code = await new Promise<number | null>((resolve) => run.once('close', resolve));
	if (code !== 0) throw new Error(`citizen ${args.join(' ')} exited with ${code}:\n${out}`);
	return out;
}

async function isFree(port: number): Promise<boolean> {
	const server = await hold(port);
	if (!server) return false;
	await new Promise((r) => server.close(r));
	return true;
}

describe('ports', () => {
	it('n8n that cannot open its task broker port exits, and the error quotes n8n’s line', async () => {
		const holder = createServer();
		await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
		const held = (holder.address() as AddressInfo).port;
		try {
			await expect(
				startN8n({ log: () => undefined, env: { N8N_RUNNERS_BROKER_PORT: String(held) } }),
			).rejects.toThrow(
				new RegExp(
					`n8n exited with code 1 .*\\n  \\| n8n Task Broker's port ${held} is already in use`,
				),
			);
		} finally {
			holder.close();
		}
	});

	describe('the sandbox while 5678 and 5679 are taken', () => {
		const holders: Server[] = [];
		const work = mkdtempSync(join(tmpdir(), 'civic-sandbox-test-'));
		let sandbox: ChildProcess;
		let output = '';
		const citizen = (args: string[]) => runCitizen(join(work, 'sandbox'), args);

		beforeAll(async () => {
			for (const port of [5678, 5679]) {
				const server = await hold(port);
				if (server) holders.push(server);
				expect(await isFree(port)).toBe(false);
			}
		});

		afterAll(async () => {
			// Only if the test failed half-way: the sandbox runs in a process group of its own.
			if (sandbox?.pid && sandbox.exitCode === null) process.kill(-sandbox.pid, 'SIGKILL');
			await Promise.all(holders.map((s) => new Promise((r) => s.close(r))));
			rmSync(work, { recursive: true, force: true });
		});

		it('comes up on other ports, answers, and Ctrl-C (SIGINT) leaves no process and no port behind', async () => {
			// What `npm run sandbox` runs once the package is built (npm run test:e2e built it).
			const script = (
				JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
					scripts: Record<string, string>;
				}
			).scripts.sandbox;
			const [command, ...args] = script.replace(/^npm run build && /, '').split(' ');
			expect(command).toBe('node');
			sandbox = spawn(command, args, {
				cwd: PACKAGE_ROOT,
				env: {
					...process.env,
					PATH: `${join(PACKAGE_ROOT, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`,
					CIVIC_SANDBOX_DIR: join(work, 'sandbox'),
				},
				stdio: ['ignore', 'pipe', 'pipe'],
				detached: true,
			});
			sandbox.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
			sandbox.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
			const exited = new Promise<number | null>((r) => sandbox.once('exit', (code) => r(code)));

			await eventually(
				'"Sandbox ready"',
				() => {
					if (sandbox.exitCode !== null)
						throw new Error(`The sandbox exited (${sandbox.exitCode}):\n${output.slice(-3000)}`);
					return output.includes('Sandbox ready') ? true : undefined;
				},
				600_000,
			);
			const baseUrl = /n8n editor: +(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] as string;
			const [, httpPort, brokerPort] = /Ports: +n8n (\d+) \(task broker (\d+)\)/
				.exec(output)
				?.map(Number) as number[];
			expect(baseUrl).toBe(`http://127.0.0.1:${httpPort}`);
			expect(output).toContain('Port 5678 is taken');
			expect([httpPort, brokerPort]).not.toContain(5678);
			expect(brokerPort).not.toBe(5679);

			expect((await fetch(`${baseUrl}/healthz/readiness`)).status).toBe(200);
			const editor = await fetch(`${baseUrl}/`);
			expect(editor.status).toBe(200);
			expect(await editor.text()).toContain('n8n');

			// The sandbox process, n8n under it, and n8n's task runner under that.
			const tree: ProcessRef[] = processTree(sandbox.pid as number);
			const n8n = tree.find((p) => p.command.includes('n8n/bin/n8n start'));
			const runner = tree.find((p) => p.command.includes('@n8n/task-runner'));
			expect(n8n).toBeDefined();
			expect(runner).toBeDefined();
			expect(listeningPorts([(n8n as ProcessRef).pid, (runner as ProcessRef).pid])).toEqual(
				[httpPort, brokerPort].sort((a, b) => a - b),
			);
			// n8n's two, the simulator, two feeds and the mail catcher.
			const ports = listeningPorts(tree.map((p) => p.pid));
			expect(ports).toHaveLength(6);
			const stateFile = join(work, 'sandbox', 'state.json');
			expect(existsSync(stateFile)).toBe(true);

			// `npm run citizen` finds this sandbox and shows the replies once n8n's execution is over;
			// a question goes to staff (the sandbox prints the mail) and gets no reply yet.
			const start = await citizen(['start', '4917093318642']);
			expect(start).toMatch(/webhook answered 200/);
			expect(start).toMatch(/Received:\n +\[[^\]]+\] \(text\) [\s\S]*Gast_0001/);
			const question = await citizen(['say', '4917093318642', 'Wann kommt die Biotonne?']);
			expect(question).toContain('No reply: a question waits for staff');
			await eventually('the staff mail in the sandbox output', () =>
				output.includes('📧 Mail to') ? true : undefined,
			);

			// SIGINT to the sandbox process alone (a terminal's Ctrl-C also signals n8n directly).
			process.kill(sandbox.pid as number, 'SIGINT');
			expect(await exited).toBe(0);
			expect(output).toContain('Stopping the sandbox');
			expect(tree.filter(isRunning)).toEqual([]);
			for (const port of ports)
				expect({ port, free: await isFree(port) }).toEqual({ port, free: true });
			expect(existsSync(stateFile)).toBe(false);
		}, 900_000);
	});
});
