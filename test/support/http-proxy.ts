/**
 * A small real HTTP proxy on a free loopback port, for tests and benchmarks: CONNECT tunnels
 * (what an https target uses) and absolute-URI forwarding (what an http target uses), with
 * optional Basic credentials, counting what passes so tests can show traffic went through it.
 */
import { once } from 'node:events';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';

import { listenOnLoopback } from './loopback';

export interface ProxyCounts {
	/** TCP connections the proxy accepted from clients. */
	connections: number;
	/** CONNECT requests, answered 200 or not. */
	connects: number;
	/** Absolute-URI requests forwarded to their target. */
	forwarded: number;
	/** Requests turned away with 407. */
	refusedAuth: number;
	/** Bytes passed through tunnels, both directions. */
	tunnelledBytes: number;
	/** Forwarded requests and CONNECTs per target `host:port`, as the client asked for it. */
	byTarget: Record<string, number>;
}

export interface TestProxyOptions {
	/** When set, every request must carry `Proxy-Authorization: Basic` for these. */
	credentials?: { user: string; password: string };
	/** Where a target really is: lets a test use a name that only the proxy can reach. */
	resolve?: (host: string, port: number) => { host: string; port: number };
	/** Never answer CONNECT (a proxy that hangs): the client's timeout is then certain to fire. */
	holdConnects?: boolean;
}

export interface TestProxy {
	/** `http://127.0.0.1:<port>`, without credentials. */
	url: string;
	port: number;
	counts: ProxyCounts;
	/** Client connections open now. */
	openConnections(): number;
	/** Resolves once no client connection is open. */
	allClosed(): Promise<void>;
	stop(): Promise<void>;
}

export async function startTestProxy(options: TestProxyOptions = {}): Promise<TestProxy> {
	const counts: ProxyCounts = {
		connections: 0,
		connects: 0,
		forwarded: 0,
		refusedAuth: 0,
		tunnelledBytes: 0,
		byTarget: {},
	};
	const note = (target: string) => (counts.byTarget[target] = (counts.byTarget[target] ?? 0) + 1);
	const sockets = new Set<Duplex>();
	const track = (socket: Duplex) => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
	};
	const expected = options.credentials
		? `Basic ${Buffer.from(`${options.credentials.user}:${options.credentials.password}`).toString('base64')}`
		: undefined;
	const authorized = (request: IncomingMessage) =>
		!expected || request.headers['proxy-authorization'] === expected;
	const where = (host: string, port: number) => options.resolve?.(host, port) ?? { host, port };
	const upstream = new http.Agent({ keepAlive: true });

	const server = http.createServer((request: IncomingMessage, response: ServerResponse) => {
		if (!authorized(request)) {
			counts.refusedAuth += 1;
			response.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end();
			return;
		}
		let target: URL;
		try {
			target = new URL(request.url ?? '');
		} catch {
			response.writeHead(400).end('absolute URL required');
			return;
		}
		counts.forwarded += 1;
		note(`${target.hostname}:${target.port || 80}`);
		const { host, port } = where(target.hostname, Number(target.port) || 80);
		const headers = { ...request.headers };
		for (const hop of ['proxy-authorization', 'proxy-connection', 'connection', 'keep-alive'])
			delete headers[hop];
		const forward = http.request(
			{
				host,
				port,
				path: target.pathname + target.search,
				method: request.method,
				headers,
				agent: upstream,
			},
			(answer) => {
				response.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(response);
			},
		);
		forward.on('error', () => {
			if (!response.headersSent) response.writeHead(502).end();
			else response.destroy();
		});
		request.pipe(forward);
	});
	const clients = new Set<net.Socket>();
	const whenAllClosed: (() => void)[] = [];
	server.on('connection', (socket: net.Socket) => {
		counts.connections += 1;
		track(socket);
		clients.add(socket);
		socket.once('close', () => {
			clients.delete(socket);
			if (clients.size > 0) return;
			for (const resolve of whenAllClosed.splice(0)) resolve();
		});
	});
	server.on('connect', (request: IncomingMessage, client: Duplex, head: Buffer) => {
		counts.connects += 1;
		client.on('error', () => client.destroy());
		if (options.holdConnects) return;
		if (!authorized(request)) {
			counts.refusedAuth += 1;
			client.end(
				'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n',
			);
			return;
		}
		const match = /^(.+):(\d+)$/.exec(request.url ?? '');
		if (!match) {
			client.end('HTTP/1.1 400 Bad Request\r\n\r\n');
			return;
		}
		note(match[0]);
		const { host, port } = where(match[1].replace(/^\[|\]$/g, ''), Number(match[2]));
		const target = net.connect({ host, port });
		track(target);
		let open = false;
		target.on('error', () => {
			if (open) client.destroy();
			else client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
		});
		target.once('connect', () => {
			open = true;
			client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			if (head.length > 0) target.write(head);
			const count = (chunk: Buffer) => (counts.tunnelledBytes += chunk.length);
			client.on('data', count);
			target.on('data', count);
			client.pipe(target).pipe(client);
			client.once('close', () => target.destroy());
			target.once('close', () => client.destroy());
		});
	});

	const port = await listenOnLoopback(server);
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		counts,
		openConnections: () => clients.size,
		allClosed: () =>
			clients.size === 0
				? Promise.resolve()
				: new Promise<void>((resolve) => whenAllClosed.push(resolve)),
		async stop() {
			const closed = once(server, 'close');
			server.close();
			for (const socket of sockets) socket.destroy();
			upstream.destroy();
			await closed;
		},
	};
}

/** Every variable that can name a proxy for Node's clients, in both spellings. */
const PROXY_VARIABLES = [
	'HTTP_PROXY',
	'http_proxy',
	'HTTPS_PROXY',
	'https_proxy',
	'ALL_PROXY',
	'all_proxy',
	'NO_PROXY',
	'no_proxy',
];

/**
 * n8n runs community nodes in its own process, so the proxy variables an admin sets on n8n are
 * this process's environment: clears every proxy variable, sets `values`, and returns the function
 * that puts everything back.
 */
export function withProxyEnvironment(values: Record<string, string>): () => void {
	const saved = PROXY_VARIABLES.map((name) => [name, process.env[name]] as const);
	for (const name of PROXY_VARIABLES) delete process.env[name];
	Object.assign(process.env, values);
	return () => {
		for (const [name, value] of saved)
			if (value === undefined) delete process.env[name];
			else process.env[name] = value;
	};
}
