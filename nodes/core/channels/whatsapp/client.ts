import http from 'node:http';
import https from 'node:https';

import { maskDigitRuns } from '../../digit-runs';
import { ConfigError } from '../../errors';
import { abortAdvice, classifyError } from './classify';
import { CloudApiError } from './errors';
import { proxyFor, type ProxyEnv, type ProxyServer } from './proxy-env';
import { ProxyError, proxyCloudApiError, proxyRefusal, proxyUnreachable } from './proxy-errors';
import { TunnelAgent } from './proxy-tunnel';
import type { ClientMessage, ServerErrorBody, ServerSendSuccess } from './wire-types';

/**
 * The sender's in-flight limit follows Meta's latency up to 256 (broadcast/in-flight.ts); fewer
 * sockets would queue requests in the agent, the queueing would look like latency, and the limit
 * would chase its own tail. Sockets are opened only as needed.
 */
const MAX_SOCKETS = 256;

export interface CloudApiConfig {
	/** `https://graph.facebook.com`, or the simulator / a proxy. Never hard-coded. */
	baseUrl: string;
	/** Graph API version, e.g. `v24.0`. */
	version: string;
	phoneNumberId: string;
	accessToken: string;
	/** Give up on one request after this long (it may still have been accepted). */
	timeoutMs?: number;
	/** Keep-alive sockets kept open; should be ≥ the sender's in-flight limit. */
	maxSockets?: number;
	/**
	 * Where HTTP_PROXY / HTTPS_PROXY / ALL_PROXY / NO_PROXY (or lowercase) are read, once, when the
	 * client is created. The process environment (n8n's) unless given.
	 */
	env?: ProxyEnv;
}

export type SendResult = { ok: true; messageId: string } | { ok: false; error: CloudApiError };

/** The part of the client the sender engine needs; tests and benchmarks pass the real one. */
export interface MessageSender {
	send(message: ClientMessage): Promise<SendResult>;
}

/** Where each request's socket goes and what it asks for (fixed when the client is created). */
interface Route {
	transport: typeof http | typeof https;
	agent: http.Agent;
	hostname: string;
	port: string | number | undefined;
	path: string;
	/** Host and Proxy-Authorization when a plain-http request is forwarded by a proxy. */
	headers: Record<string, string>;
	/** Set when requests go through a proxy, for error messages. */
	proxy?: ProxyServer;
}

/**
 * A minimal Cloud API client over node:http(s) with keep-alive sockets: one TLS handshake per
 * socket instead of per message matters at hundreds of messages per second.
 */
export class CloudApiClient implements MessageSender {
	private readonly url: URL;
	private readonly route: Route;
	private readonly timeoutMs: number;
	private readonly authorization: string;

	constructor(config: CloudApiConfig) {
		if (!config.accessToken)
			throw new ConfigError(
				'The access token is empty: set it in the WhatsApp Broadcast API credential',
			);
		if (!config.phoneNumberId)
			throw new ConfigError(
				'The phone number ID is empty: set it in the WhatsApp Broadcast API credential',
			);
		if (!/^v\d+\.\d+$/.test(config.version ?? ''))
			throw new ConfigError(
				`The Graph API version "${config.version}" is not valid: use the form v24.0`,
			);
		let base: URL;
		try {
			base = new URL(config.baseUrl);
		} catch {
			throw new ConfigError(
				`The base URL "${config.baseUrl}" is not a URL: use https://graph.facebook.com or the simulator's address`,
			);
		}
		const root = base.href.replace(/\/+$/, '');
		this.url = new URL(
			`${root}/${config.version}/${encodeURIComponent(config.phoneNumberId)}/messages`,
		);
		this.route = routeTo(this.url, config.maxSockets ?? MAX_SOCKETS, config.env ?? process.env);
		this.timeoutMs = config.timeoutMs ?? 20_000;
		this.authorization = `Bearer ${config.accessToken}`;
	}

	get endpoint(): string {
		return this.url.origin;
	}

	/** The proxy requests go through (without credentials), or undefined when they go direct. */
	get proxy(): string | undefined {
		return this.route.proxy?.display;
	}

	send(message: ClientMessage): Promise<SendResult> {
		const body = JSON.stringify(message);
		return new Promise<SendResult>((resolve) => {
			let settled = false;
			const finish = (result: SendResult) => {
				if (settled) return;
				settled = true;
				resolve(result);
			};
			const route = this.route;
			const request = route.transport.request(
				{
					// Plain options, not the URL object: parsing a URL per message costs at 10,000/s.
					hostname: route.hostname,
					port: route.port,
					path: route.path,
					method: 'POST',
					agent: route.agent,
					headers: {
						...route.headers,
						authorization: this.authorization,
						'content-type': 'application/json',
						'content-length': Buffer.byteLength(body),
					},
				},
				(response) => {
					const chunks: Buffer[] = [];
					response.on('data', (chunk: Buffer) => chunks.push(chunk));
					response.on('error', (cause) => finish({ ok: false, error: lostAnswer(cause) }));
					response.on('end', () =>
						finish(
							interpret(
								response.statusCode ?? 0,
								Buffer.concat(chunks).toString('utf8'),
								route.proxy,
							),
						),
					);
				},
			);
			request.setTimeout(this.timeoutMs, () => {
				finish({
					ok: false,
					error: new CloudApiError(
						`The WhatsApp Cloud API did not answer within ${this.timeoutMs} ms`,
						undefined,
						undefined,
						'retry',
						false,
					),
				});
				request.destroy();
			});
			request.on('error', (cause: NodeJS.ErrnoException) =>
				finish({ ok: false, error: networkError(cause, this.url, route) }),
			);
			request.end(body);
		});
	}

	/** Closes the keep-alive sockets. */
	close(): void {
		this.route.agent.destroy();
	}
}

/**
 * Direct, or through the proxy the environment names for this URL:
 * - https: a CONNECT tunnel per socket, TLS to Meta inside it (the proxy sees only the host name);
 * - http (the simulator, a test double): the request itself goes to the proxy with the absolute
 *   URL as its path ("forwarding"), as curl, Node and n8n's own agents do. CONNECT would work too,
 *   but common proxies refuse it to ports other than 443 (squid's default `CONNECT !SSL_ports`),
 *   and plain http has nothing a tunnel would hide from the proxy.
 */
function routeTo(url: URL, maxSockets: number, env: ProxyEnv): Route {
	const proxy = proxyFor(url, env);
	const options = { keepAlive: true, maxSockets };
	const direct = {
		hostname: url.hostname.replace(/^\[|\]$/g, ''),
		port: url.port || undefined,
		path: url.pathname,
		headers: {},
	};
	if (url.protocol === 'https:')
		return proxy
			? { transport: https, agent: new TunnelAgent(proxy, options), ...direct, proxy }
			: { transport: https, agent: new https.Agent(options), ...direct };
	if (!proxy) return { transport: http, agent: new http.Agent(options), ...direct };
	return {
		transport: http,
		agent: new http.Agent(options),
		hostname: proxy.host,
		port: proxy.port,
		path: url.href,
		headers: {
			host: url.host,
			...(proxy.authorization ? { 'proxy-authorization': proxy.authorization } : {}),
		},
		proxy,
	};
}

function interpret(status: number, text: string, proxy: ProxyServer | undefined): SendResult {
	if (status === 407 && proxy)
		return { ok: false, error: proxyCloudApiError(proxyRefusal(proxy, 407)) };
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		parsed = undefined;
	}
	if (status >= 200 && status < 300) {
		const id = (parsed as ServerSendSuccess | undefined)?.messages?.[0]?.id;
		if (typeof id === 'string') return { ok: true, messageId: id };
		// Accepted or not, we cannot tell: treat like a lost answer.
		return {
			ok: false,
			error: new CloudApiError(
				'The WhatsApp Cloud API answered without a message ID',
				status,
				undefined,
				'retry',
				false,
			),
		};
	}
	const error = (parsed as ServerErrorBody | undefined)?.error;
	const code = typeof error?.code === 'number' ? error.code : undefined;
	const retryClass = classifyError(code, status);
	// Meta's `message` names the code and a title; `details` may echo the number, so it is not used.
	const title =
		typeof error?.message === 'string'
			? maskDigitRuns(error.message, 7)
			: `HTTP ${status}${proxy ? ` (through the proxy ${proxy.display})` : ''}`;
	const advice = retryClass === 'abort' ? `. ${abortAdvice(code, status)}` : '';
	return {
		ok: false,
		error: new CloudApiError(
			`WhatsApp Cloud API error ${code ?? status}: ${title}${advice}`,
			status,
			code,
			retryClass,
			true,
		),
	};
}

function lostAnswer(cause: unknown): CloudApiError {
	return new CloudApiError(
		'The connection broke while the WhatsApp Cloud API answered',
		undefined,
		undefined,
		'retry',
		false,
		{ cause },
	);
}

/** Errors before the request was written (refused, DNS) are certain: nothing reached Meta. */
const BEFORE_SEND: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'name lookup failed',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
};

function networkError(cause: NodeJS.ErrnoException, url: URL, route: Route): CloudApiError {
	if (cause instanceof ProxyError) return proxyCloudApiError(cause);
	// Words, not the raw code: n8n replaces messages holding ECONNREFUSED with a generic text.
	const reason = BEFORE_SEND[cause.code ?? ''];
	if (reason === undefined)
		return new CloudApiError(
			'The connection to the WhatsApp Cloud API broke before its answer arrived',
			undefined,
			undefined,
			'retry',
			false,
			{ cause },
		);
	// A forwarded request's socket goes to the proxy, so a refused connection is the proxy's.
	if (route.proxy && route.transport === http)
		return proxyCloudApiError(proxyUnreachable(route.proxy, cause));
	return new CloudApiError(
		`Cannot reach the WhatsApp Cloud API at ${url.origin} (${reason}): check the base URL and the network`,
		undefined,
		undefined,
		'retry',
		true,
		{ cause },
	);
}
