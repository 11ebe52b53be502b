/**
 * A private Redis for one n8n queue-mode cluster: Debian's redis-server on a free loopback port,
 * in a folder of its own, with persistence off (the queue lives as long as the cluster). Another
 * Redis on the machine (CI's on 6379) is never touched.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

import { isRunning, processTree, type ProcessRef } from './processes';

export const REDIS_SERVER = process.env.CIVIC_REDIS_SERVER || '/usr/bin/redis-server';

export interface RedisServer {
	port: number;
	pid: number;
	dir: string;
	logFile: string;
	/** Sends one command (inline protocol) and returns Redis's raw answer. */
	command(line: string): Promise<string>;
	/** Stops Redis (SIGTERM, then SIGKILL after 30 s) and waits until the process is gone. */
	stop(): Promise<void>;
}

/** One inline command over a fresh connection; resolves with the first reply received. */
function redisCommand(port: number, line: string): Promise<string> {
	return new Promise((resolveReply, reject) => {
		const socket = connect(port, '127.0.0.1');
		let reply = '';
		socket.setTimeout(5_000, () => socket.destroy(new Error(`Redis on ${port} did not answer`)));
		socket.once('error', reject);
		socket.once('connect', () => socket.write(`${line}\r\n`));
		socket.on('data', (chunk: Buffer) => {
			reply += chunk.toString('latin1');
			// A simple reply, error or integer ends at its first CRLF; bulk replies are not needed here.
			if (reply.includes('\r\n')) {
				socket.end();
				resolveReply(reply.trimEnd());
			}
		});
	});
}

export async function startRedis(dir: string, port: number): Promise<RedisServer> {
	if (!existsSync(REDIS_SERVER))
		throw new Error(
			`${REDIS_SERVER} is missing: install redis-server (apt-get install redis-server)`,
		);
	mkdirSync(dir, { recursive: true });
	const logFile = join(dir, 'redis.log');
	const log = createWriteStream(logFile);
	const child = spawn(
		REDIS_SERVER,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
			// Debian's default config is not read (no file given); these keep it quiet and local.
			'--protected-mode',
			'yes',
			'--daemonize',
			'no',
		],
		{ cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
	);
	let exited: { code: number | null } | undefined;
	const closed = new Promise<void>((r) =>
		child.once('close', (code) => {
			exited = { code };
			r();
		}),
	);
	child.stdout?.pipe(log, { end: false });
	child.stderr?.pipe(log, { end: false });
	const killOnExit = () => child.kill('SIGKILL');
	process.once('exit', killOnExit);
	let tree: ProcessRef[] = [];
	const stop = async () => {
		if (!exited) {
			tree = processTree(child.pid ?? -1);
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
			await closed;
			clearTimeout(timer);
		}
		for (const ref of tree.filter(isRunning)) process.kill(ref.pid, 'SIGKILL');
		process.off('exit', killOnExit);
		await new Promise((r) => log.end(r));
	};
	const deadline = Date.now() + 60_000;
	for (;;) {
		if (exited) {
			await stop();
			throw new Error(
				`redis-server exited with code ${exited.code} while starting (log: ${logFile})`,
			);
		}
		const answer = await redisCommand(port, 'PING').catch(() => '');
		if (answer === '+PONG') break;
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`redis-server did not answer PING on port ${port} (log: ${logFile})`);
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	return {
		port,
		pid: child.pid as number,
		dir,
		logFile,
		command: (line) => redisCommand(port, line),
		stop,
	};
}
