import { bypassesProxy, proxyFor } from '../../../../nodes/core/channels/whatsapp/proxy-env';

describe('proxy settings from the environment', () => {
	const graph = new URL('https://graph.facebook.com/v24.0/1/messages');
	const sim = new URL('http://127.0.0.1:8080/v24.0/1/messages');

	it('uses HTTPS_PROXY for https and HTTP_PROXY for http, lowercase first, empty as unset', () => {
		const env = { HTTPS_PROXY: 'http://upper:3128', HTTP_PROXY: 'http://plain:3128' };
		expect(proxyFor(graph, env)).toMatchObject({
			host: 'upper',
			port: 3128,
			source: 'HTTPS_PROXY',
		});
		expect(proxyFor(sim, env)).toMatchObject({ host: 'plain', source: 'HTTP_PROXY' });
		expect(proxyFor(graph, { ...env, https_proxy: 'http://lower:8080' })).toMatchObject({
			host: 'lower',
			port: 8080,
			source: 'https_proxy',
		});
		expect(proxyFor(graph, { ...env, https_proxy: '' })).toMatchObject({ host: 'upper' });
		// An https target never falls back to HTTP_PROXY; ALL_PROXY serves both.
		expect(proxyFor(graph, { HTTP_PROXY: 'http://plain:3128' })).toBeUndefined();
		expect(proxyFor(graph, { ALL_PROXY: 'http://all:3128' })).toMatchObject({
			source: 'ALL_PROXY',
		});
		expect(proxyFor(graph, {})).toBeUndefined();
	});

	it('reads the proxy URL: default port, no scheme, credentials kept out of what is shown', () => {
		const proxy = proxyFor(graph, { HTTPS_PROXY: 'http://staff%40town:p%3Ass@proxy.town:3128/' });
		expect(proxy).toMatchObject({
			host: 'proxy.town',
			port: 3128,
			display: 'http://proxy.town:3128',
		});
		expect(Buffer.from(proxy!.authorization!.replace('Basic ', ''), 'base64').toString()).toBe(
			'staff@town:p:ss',
		);
		expect(proxyFor(graph, { HTTPS_PROXY: 'proxy.town:3128' })).toMatchObject({
			host: 'proxy.town',
			port: 3128,
			authorization: undefined,
		});
		expect(proxyFor(graph, { HTTPS_PROXY: 'http://proxy.town' })).toMatchObject({ port: 80 });
		expect(proxyFor(graph, { HTTPS_PROXY: 'http://[::1]:3128' })).toMatchObject({
			host: '::1',
			display: 'http://[::1]:3128',
		});
	});

	it('refuses unusable proxy URLs without repeating them (they may hold a password)', () => {
		const bad = (value: string) => () => proxyFor(graph, { HTTPS_PROXY: value });
		expect(bad('http://user:hunter2@')).toThrow(/^HTTPS_PROXY is not a valid proxy URL/);
		expect(bad('socks5://user:hunter2@proxy:1080')).toThrow(
			'HTTPS_PROXY names a socks5 proxy; only http:// proxies are supported',
		);
		expect(bad('https://user:hunter2@proxy:443')).toThrow('names a https proxy');
		for (const value of ['http://user:hunter2@', 'socks5://user:hunter2@proxy:1080'])
			expect(bad(value)).not.toThrow(/hunter2/);
	});

	it('NO_PROXY exempts hosts, domains with their subdomains, ports, ranges and *', () => {
		const cases: [noProxy: string, host: string, port: number, bypass: boolean][] = [
			['graph.facebook.com', 'graph.facebook.com', 443, true],
			['facebook.com', 'graph.facebook.com', 443, true],
			['.facebook.com', 'graph.facebook.com', 443, true],
			['.facebook.com', 'facebook.com', 443, true],
			['*.facebook.com', 'graph.facebook.com', 443, true],
			['facebook.com', 'notfacebook.com', 443, false],
			['graph.facebook.com', 'facebook.com', 443, false],
			['GRAPH.Facebook.COM.', 'graph.facebook.com', 443, true],
			['graph.facebook.com:443', 'graph.facebook.com', 443, true],
			['graph.facebook.com:8443', 'graph.facebook.com', 443, false],
			['localhost, 127.0.0.1', '127.0.0.1', 8080, true],
			['localhost 127.0.0.1', '127.0.0.1', 8080, true],
			['127.0.0.1:9999', '127.0.0.1', 8080, false],
			['10.0.0.0/8', '10.20.30.40', 80, true],
			['10.0.0.0/8', '11.0.0.1', 80, false],
			['10.0.0.0/8', 'ten.example', 80, false],
			['10.0.0.0/99', '10.0.0.1', 80, false],
			['::1', '[::1]', 80, true],
			['[::1]:8080', '[::1]', 8080, true],
			['[::1]:8080', '[::1]', 80, false],
			['fd00::/8', 'fd12::1', 80, true],
			['*', 'anything.example', 443, true],
			['', 'graph.facebook.com', 443, false],
			[' , ', 'graph.facebook.com', 443, false],
		];
		const wrong = cases.filter(
			([np, host, port, bypass]) => bypassesProxy(np, host, port) !== bypass,
		);
		expect(wrong).toEqual([]);
	});

	it('NO_PROXY (no_proxy first) decides before the proxy URL is even read', () => {
		const env = { HTTPS_PROXY: 'socks5://unsupported:1080', NO_PROXY: 'facebook.com' };
		expect(proxyFor(graph, env)).toBeUndefined();
		expect(() => proxyFor(graph, { ...env, no_proxy: 'example.org' })).toThrow('socks5');
		expect(proxyFor(sim, { HTTP_PROXY: 'http://p:1', NO_PROXY: '127.0.0.1:8080' })).toBeUndefined();
	});
});
