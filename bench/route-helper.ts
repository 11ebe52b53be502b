/**
 * The network between the broadcast benchmark and the simulator, in its own process so its CPU is
 * not the sender's: an HTTPS front before the simulator (`--sim <port> --tls <cert dir>`) and/or an
 * HTTP proxy (`--proxy`) that knows `graph.bench.example` as the simulator (:443 → the
 * HTTPS front). Prints `{"tlsPort":…,"proxyUrl":…}` when ready and its proxy counts on SIGTERM.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { startTestProxy, type TestProxy } from '../test/support/http-proxy';
import { startTlsFront, type TlsFront } from '../test/support/tls-front';

export const BENCH_HOST = 'graph.bench.example';

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	const simPort = Number(args[args.indexOf('--sim') + 1]);
	const certDir = args.includes('--tls') ? args[args.indexOf('--tls') + 1] : undefined;
	let front: TlsFront | undefined;
	let proxy: TestProxy | undefined;
	if (certDir) {
		front = await startTlsFront(simPort, [], {
			key: readFileSync(path.join(certDir, 'key.pem'), 'utf8'),
			cert: readFileSync(path.join(certDir, 'cert.pem'), 'utf8'),
		});
	}
	if (args.includes('--proxy')) {
		proxy = await startTestProxy({
			resolve: (host, port) =>
				host !== BENCH_HOST
					? { host, port }
					: { host: '127.0.0.1', port: port === 443 && front ? front.port : simPort },
		});
	}
	console.log(JSON.stringify({ tlsPort: front?.port, proxyUrl: proxy?.url }));
	process.once('SIGTERM', () => {
		console.log(JSON.stringify({ counts: proxy?.counts, tlsConnections: front?.connections() }));
		process.exit(0);
	});
}

if (require.main === module)
	main().catch((error: unknown) => {
		console.error(error);
		process.exit(1);
	});
