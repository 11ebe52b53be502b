import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';

import { closeServer, listenOnLoopback } from './loopback';

/**
 * A plain TCP relay on a free loopback port in front of a real server (PostgreSQL in the store
 * tests), so a test can take the server away from one client and give it back: `cut` closes the
 * port and every open connection (what a client sees when the server goes down), `restore`
 * listens on the same port again.
 */
export interface TcpRelay {
	readonly port: number;
	/** Closes every relayed connection and stops listening: connects are refused until `restore`. */
	cut(): Promise<void>;
	/** Listens on the same port again. */
	restore(): Promise<void>;
	close(): Promise<void>;
}

export async function startTcpRelay(target: { host: string; port: number }): Promise<TcpRelay> {
	const sockets = new Set<Socket>();
	const track = (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => socket.destroy());
	};
	const server = createServer((client) => {
		const upstream = connect(target.port, target.host);
		track(client);
		track(upstream);
		client.pipe(upstream).pipe(client);
		client.on('close', () => upstream.destroy());
		upstream.on('close', () => client.destroy());
	});
	const port = await listenOnLoopback(server);
	const cut = async () => {
		const closed = closeServer(server);
		for (const socket of sockets) socket.destroy();
		await closed;
	};
	return {
		port,
		cut,
		async restore() {
			server.listen(port, '127.0.0.1');
			await once(server, 'listening');
		},
		close: cut,
	};
}
