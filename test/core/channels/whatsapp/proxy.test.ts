import {
	CloudApiClient,
	type ClientMessage,
	type SendResult,
} from '../../../../nodes/core/channels/whatsapp';
import type { ProxyEnv } from '../../../../nodes/core/channels/whatsapp/proxy-env';
import { startSimulator, type Simulator } from '../../../../simulator';
import {
	startTestProxy,
	withProxyEnvironment,
	type TestProxy,
	type TestProxyOptions,
} from '../../../support/http-proxy';
import { startTlsFront, type TlsFront } from '../../../support/tls-front';

/** A host name no resolver knows: only the test proxy can reach it (it maps it to the simulator). */
const GRAPH = 'graph.proxy-test.example';

describe('CloudApiClient through an HTTP proxy from the environment', () => {
	let sim: Simulator;
	let simPort: number;
	let front: TlsFront | undefined;
	let proxy: TestProxy | undefined;
	const clients: CloudApiClient[] = [];

	beforeEach(async () => {
		sim = await startSimulator({ rate: 0 });
		simPort = Number(new URL(sim.baseUrl).port);
	});
	afterEach(async () => {
		for (const client of clients.splice(0)) client.close();
		await proxy?.stop();
		await front?.stop();
		proxy = front = undefined;
		await sim.stop();
	});

	/** The proxy sends GRAPH:443 to the TLS front before the simulator, GRAPH:<other> to the simulator. */
	async function startProxy(options: TestProxyOptions = {}): Promise<TestProxy> {
		proxy = await startTestProxy({
			...options,
			resolve: (host, port) =>
				host !== GRAPH
					? { host, port }
					: { host: '127.0.0.1', port: port === 443 && front ? front.port : simPort },
		});
		return proxy;
	}

	function client(baseUrl: string, env: ProxyEnv | undefined, maxSockets = 4): CloudApiClient {
		const created = new CloudApiClient({
			baseUrl,
			version: 'v24.0',
			phoneNumberId: sim.config.phoneNumberId,
			accessToken: sim.config.accessToken,
			maxSockets,
			env,
		});
		clients.push(created);
		return created;
	}

	const template = (n: number): ClientMessage => ({
		messaging_product: 'whatsapp',
		recipient_type: 'individual',
		to: `49151${String(10_000_000 + n)}`,
		type: 'template',
		template: { name: 'hello_world', language: { code: 'en_US' } },
	});

	/** `count` messages, `parallel` at a time, as the sender keeps several in flight. */
	async function sendMany(
		api: CloudApiClient,
		count: number,
		parallel = 16,
	): Promise<SendResult[]> {
		const results: SendResult[] = [];
		let next = 0;
		await Promise.all(
			Array.from({ length: parallel }, async () => {
				while (next < count) results.push(await api.send(template(next++)));
			}),
		);
		return results;
	}

	function failure(result: SendResult) {
		if (result.ok) throw new Error('expected a failure');
		return result.error;
	}

	it('https: tunnels with CONNECT, TLS inside, a few tunnels for many messages', async () => {
		front = await startTlsFront(simPort, [GRAPH]);
		await startProxy();
		const api = client(`https://${GRAPH}`, { HTTPS_PROXY: proxy!.url }, 4);
		expect(api.proxy).toBe(proxy!.url);
		const results = await sendMany(api, 200);
		expect(results.filter((r) => r.ok)).toHaveLength(200);
		expect(sim.counters().accepted).toBe(200);
		// Keep-alive: never more tunnels than sockets allowed, each one TLS session to the target.
		expect(proxy!.counts.connects).toBeGreaterThanOrEqual(1);
		expect(proxy!.counts.connects).toBeLessThanOrEqual(4);
		expect(front.connections()).toBe(proxy!.counts.connects);
		expect(proxy!.counts.forwarded).toBe(0);
		expect(proxy!.counts.tunnelledBytes).toBeGreaterThan(200 * 100);
	});

	it('http: forwards each request to the proxy over a few kept-alive connections', async () => {
		await startProxy();
		const api = client(`http://${GRAPH}:${simPort}`, { HTTP_PROXY: proxy!.url }, 4);
		const results = await sendMany(api, 200);
		expect(results.filter((r) => r.ok)).toHaveLength(200);
		expect(proxy!.counts.forwarded).toBe(200);
		expect(proxy!.counts.connections).toBeLessThanOrEqual(4);
		expect(proxy!.counts.connects).toBe(0);
		expect(sim.counters().accepted).toBe(200);
	});

	it('NO_PROXY sends direct; a NO_PROXY entry for another port does not', async () => {
		await startProxy();
		const bypass = client(sim.baseUrl, { HTTP_PROXY: proxy!.url, NO_PROXY: 'localhost,127.0.0.1' });
		expect(bypass.proxy).toBeUndefined();
		expect((await sendMany(bypass, 10)).every((r) => r.ok)).toBe(true);
		expect(proxy!.counts.connections).toBe(0);
		const otherPort = client(sim.baseUrl, {
			HTTP_PROXY: proxy!.url,
			NO_PROXY: `127.0.0.1:${simPort + 1}`,
		});
		expect((await sendMany(otherPort, 10)).every((r) => r.ok)).toBe(true);
		expect(proxy!.counts.forwarded).toBe(10);
		expect(sim.counters().accepted).toBe(20);
	});

	it('proxy credentials: 407 without them stops with advice, and they are never shown', async () => {
		front = await startTlsFront(simPort, [GRAPH]);
		await startProxy({ credentials: { user: 'town hall', password: 's3cret:pw' } });
		const withUrl = (auth: string) => proxy!.url.replace('http://', `http://${auth}`);
		for (const [scheme, variable] of [
			['https', 'HTTPS_PROXY'],
			['http', 'HTTP_PROXY'],
		] as const) {
			const base = scheme === 'https' ? `https://${GRAPH}` : `http://${GRAPH}:${simPort}`;
			const none = failure(await client(base, { [variable]: proxy!.url }).send(template(1)));
			expect(none).toMatchObject({ retryClass: 'abort', certain: true, httpStatus: undefined });
			expect(none.message).toBe(
				`The proxy ${proxy!.url} (set in ${variable}) requires a user and password: give them in ${variable} as http://user:password@host:port`,
			);
			const wrong = failure(
				await client(base, { [variable]: withUrl('town%20hall:guess@') }).send(template(2)),
			);
			expect(wrong.retryClass).toBe('abort');
			expect(wrong.message).toContain('rejected its user and password');
			expect(JSON.stringify({ message: wrong.message, stack: wrong.stack })).not.toMatch(
				/guess|town|dG93bi/,
			);
			const right = client(base, { [variable]: withUrl('town%20hall:s3cret%3Apw@') });
			const sent = await sendMany(right, 20);
			expect(sent.filter((r) => !r.ok)).toEqual([]);
		}
		expect(proxy!.counts.refusedAuth).toBe(4);
		expect(sim.counters().accepted).toBe(40);
	});

	it('proxy down or unable to reach the target: certain, retried, named without credentials', async () => {
		await startProxy();
		const downUrl = proxy!.url;
		await proxy!.stop();
		proxy = undefined;
		for (const [base, variable] of [
			[`https://${GRAPH}`, 'HTTPS_PROXY'],
			[sim.baseUrl, 'HTTP_PROXY'],
		] as const) {
			const down = failure(
				await client(base, { [variable]: downUrl.replace('//', '//ops:pw@') }).send(template(1)),
			);
			expect(down).toMatchObject({ retryClass: 'retry', certain: true, httpStatus: undefined });
			expect(down.message).toBe(
				`The proxy ${downUrl} (set in ${variable}) cannot be reached (connection refused): check the setting and that the proxy runs`,
			);
		}
		// The proxy runs but the target does not answer: CONNECT gets 502.
		await startProxy();
		await sim.stop();
		const gateway = failure(
			await client(`https://${GRAPH}`, { HTTPS_PROXY: proxy!.url }).send(template(1)),
		);
		expect(gateway).toMatchObject({ retryClass: 'retry', certain: true, httpStatus: undefined });
		expect(gateway.message).toContain(
			'refused the connection to the WhatsApp Cloud API with HTTP 502',
		);
		sim = await startSimulator({ rate: 0 });
	});

	it('reads the environment once, when the client is created', async () => {
		await startProxy();
		const before = process.env.HTTP_PROXY;
		const restore = withProxyEnvironment({ HTTP_PROXY: proxy!.url });
		let api: CloudApiClient;
		try {
			api = client(sim.baseUrl, undefined);
		} finally {
			restore();
		}
		// The variable is gone again, yet this client keeps what it read.
		expect(process.env.HTTP_PROXY).toBe(before);
		expect((await sendMany(api, 5)).every((r) => r.ok)).toBe(true);
		expect(proxy!.counts.forwarded).toBe(5);
	});

	it('checks the certificate inside the tunnel: one for another name is refused', async () => {
		front = await startTlsFront(simPort, ['someone-else.example']);
		await startProxy();
		const result = await client(`https://${GRAPH}`, { HTTPS_PROXY: proxy!.url }).send(template(1));
		const error = failure(result);
		expect(error.retryClass).toBe('retry');
		expect((error.cause as NodeJS.ErrnoException).code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
		expect(proxy!.counts.connects).toBe(1);
		expect(sim.counters().accepted).toBe(0);
	});

	it('a proxy that never answers CONNECT ends in the client timeout, and the tunnel is closed', async () => {
		proxy = await startTestProxy({ holdConnects: true });
		const api = new CloudApiClient({
			baseUrl: `https://${GRAPH}`,
			version: 'v24.0',
			phoneNumberId: sim.config.phoneNumberId,
			accessToken: sim.config.accessToken,
			timeoutMs: 50,
			env: { HTTPS_PROXY: proxy.url },
		});
		clients.push(api);
		const closed = proxy.allClosed();
		const held = failure(await api.send(template(1)));
		expect(held).toMatchObject({ retryClass: 'retry', httpStatus: undefined });
		expect(held.message).toContain('did not answer within 50 ms');
		await closed;
		expect(proxy.counts.connects).toBe(1);
	});

	it('close() ends the tunnels', async () => {
		front = await startTlsFront(simPort, [GRAPH]);
		await startProxy();
		const api = client(`https://${GRAPH}`, { HTTPS_PROXY: proxy!.url }, 3);
		await sendMany(api, 30);
		expect(proxy!.openConnections()).toBeGreaterThan(0);
		const closed = proxy!.allClosed();
		api.close();
		await closed;
		expect(proxy!.openConnections()).toBe(0);
	});
});
