import { BlockList, isIP } from 'node:net';

import { ConfigError } from '../../errors';

/** The process environment, or a stand-in for it (tests, callers that read it elsewhere). */
export type ProxyEnv = Readonly<Record<string, string | undefined>>;

/** An HTTP proxy to send through, with its credentials already encoded as a header value. */
export interface ProxyServer {
	host: string;
	port: number;
	/** `Basic …` from the proxy URL's user and password; never shown anywhere. */
	authorization?: string;
	/** `http://host:port` without credentials: the only form errors and logs may show. */
	display: string;
	/** The variable it came from (`HTTPS_PROXY`, …), so errors can say what to fix. */
	source: string;
}

/**
 * The proxy for requests to `target`, from HTTP_PROXY / HTTPS_PROXY / ALL_PROXY and NO_PROXY, or
 * undefined to connect directly. As in curl and in n8n's own HTTP helpers (proxy-from-env), the
 * lowercase variable wins over the uppercase one, and an empty value counts as unset.
 */
export function proxyFor(target: URL, env: ProxyEnv): ProxyServer | undefined {
	const scheme = target.protocol === 'https:' ? 'https' : 'http';
	const port = Number(target.port) || (scheme === 'https' ? 443 : 80);
	const noProxy = variable(env, 'no_proxy');
	if (noProxy && bypassesProxy(noProxy.value, target.hostname, port)) return undefined;
	const chosen = variable(env, `${scheme}_proxy`) ?? variable(env, 'all_proxy');
	return chosen && parseProxyUrl(chosen.value, chosen.name);
}

function variable(env: ProxyEnv, lower: string): { name: string; value: string } | undefined {
	for (const name of [lower, lower.toUpperCase()]) {
		const value = env[name]?.trim();
		if (value) return { name, value };
	}
	return undefined;
}

/**
 * Whether NO_PROXY exempts `hostname:port`. Entries are separated by commas or spaces and compared
 * without case: `*` exempts everything; `example.com`, `.example.com` and `*.example.com` each
 * exempt example.com and all its subdomains (as curl does); `host:port` only that port; an IP
 * address itself, and `10.0.0.0/8` or `fd00::/8` every address in the range.
 */
export function bypassesProxy(noProxy: string, hostname: string, port: number): boolean {
	const host = hostname
		.toLowerCase()
		.replace(/^\[|\]$/g, '')
		.replace(/\.$/, '');
	return noProxy
		.toLowerCase()
		.split(/[\s,]+/)
		.filter(Boolean)
		.some((entry) => {
			if (entry === '*') return true;
			const { pattern, entryPort } = splitPort(entry);
			if (entryPort !== undefined && entryPort !== port) return false;
			if (pattern.includes('/')) return inRange(pattern, host);
			const domain = pattern.replace(/^\*?\.?/, '').replace(/\.$/, '');
			return domain !== '' && (host === domain || host.endsWith(`.${domain}`));
		});
}

function splitPort(entry: string): { pattern: string; entryPort?: number } {
	const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
	if (bracketed)
		return { pattern: bracketed[1], entryPort: bracketed[2] ? Number(bracketed[2]) : undefined };
	// More than one colon without brackets: a bare IPv6 address, not host:port.
	const hostPort = /^([^:]+):(\d+)$/.exec(entry);
	return hostPort ? { pattern: hostPort[1], entryPort: Number(hostPort[2]) } : { pattern: entry };
}

function inRange(cidr: string, host: string): boolean {
	const [network, bits] = cidr.split('/');
	const family = isIP(network);
	if (family === 0 || isIP(host) !== family || !/^\d+$/.test(bits)) return false;
	const list = new BlockList();
	try {
		list.addSubnet(network, Number(bits), family === 4 ? 'ipv4' : 'ipv6');
	} catch {
		return false; // a prefix length out of range matches nothing, as a typo should
	}
	return list.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Reads a proxy URL such as `http://user:pa%40ss@proxy.example:3128` (the scheme may be left out).
 * Error messages never repeat the value: it may hold a password.
 */
function parseProxyUrl(value: string, source: string): ProxyServer {
	let url: URL;
	try {
		url = new URL(value.includes('://') ? value : `http://${value}`);
	} catch {
		throw new ConfigError(
			`${source} is not a valid proxy URL: use the form http://proxy.example:3128 (optionally http://user:password@…)`,
		);
	}
	if (url.protocol !== 'http:')
		throw new ConfigError(
			`${source} names a ${url.protocol.replace(':', '')} proxy; only http:// proxies are supported (HTTPS traffic still goes through them encrypted, with CONNECT)`,
		);
	if (!url.hostname) throw new ConfigError(`${source} is not a valid proxy URL: it names no host`);
	const port = Number(url.port) || 80;
	const display = `http://${url.host}`;
	const authorization =
		url.username || url.password
			? `Basic ${Buffer.from(`${decoded(url.username)}:${decoded(url.password)}`).toString('base64')}`
			: undefined;
	return { host: url.hostname.replace(/^\[|\]$/g, ''), port, authorization, display, source };
}

/** URL user info is percent-encoded; a stray `%` is taken literally rather than failing. */
function decoded(part: string): string {
	try {
		return decodeURIComponent(part);
	} catch {
		return part;
	}
}
