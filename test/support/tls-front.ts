/**
 * HTTPS in front of a plain-HTTP test server (the simulator): a TLS listener on a free loopback
 * port that passes the decrypted bytes to the server. Its certificate is made by `openssl` at
 * start and trusted for the duration of the test through Node's default CA list.
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';

import { listenOnLoopback } from './loopback';

export interface TlsFront {
	/** TCP port of the TLS listener on 127.0.0.1. */
	port: number;
	/** TLS connections accepted (one per client socket, however many requests it carries). */
	connections: () => number;
	/** Stops the listener and puts back the CA list it replaced. */
	stop(): Promise<void>;
}

/** A self-signed certificate for `names` (DNS names; 127.0.0.1 is always included). */
export function selfSignedCertificate(names: string[]): { key: string; cert: string } {
	const dir = mkdtempSync(path.join(tmpdir(), 'test-cert-'));
	try {
		const san = [...names.map((name) => `DNS:${name}`), 'IP:127.0.0.1'].join(',');
		execFileSync(
			'openssl',
			[
				'req',
				'-x509',
				'-newkey',
				'ec',
				'-pkeyopt',
				'ec_paramgen_curve:prime256v1',
				'-nodes',
				'-keyout',
				path.join(dir, 'key.pem'),
				'-out',
				path.join(dir, 'cert.pem'),
				'-days',
				'1',
				'-subj',
				`/CN=${names[0] ?? 'localhost'}`,
				'-addext',
				`subjectAltName=${san}`,
			],
			{ stdio: 'ignore' },
		);
		return {
			key: readFileSync(path.join(dir, 'key.pem'), 'utf8'),
			cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
		};
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

export async function startTlsFront(
	targetPort: number,
	names: string[],
	certificate = selfSignedCertificate(names),
): Promise<TlsFront> {
	const { key, cert } = certificate;
	const previousCa = tls.getCACertificates('default');
	tls.setDefaultCACertificates([...previousCa, cert]);
	let connections = 0;
	const sockets = new Set<Duplex>();
	const server = tls.createServer({ key, cert }, (client) => {
		connections += 1;
		const target = net.connect({ host: '127.0.0.1', port: targetPort });
		for (const socket of [client, target]) {
			sockets.add(socket);
			socket.once('close', () => sockets.delete(socket));
			socket.on('error', () => {
				client.destroy();
				target.destroy();
			});
		}
		client.pipe(target).pipe(client);
	});
	const port = await listenOnLoopback(server);
	return {
		port,
		connections: () => connections,
		async stop() {
			tls.setDefaultCACertificates(previousCa);
			const closed = once(server, 'close');
			server.close();
			for (const socket of sockets) socket.destroy();
			await closed;
		},
	};
}
