import { CloudApiError } from './errors';
import type { ProxyServer } from './proxy-env';

/**
 * The proxy could not be reached or did not let the request through: nothing reached the Cloud
 * API. Messages name the proxy without credentials and the variable that set it.
 */
export class ProxyError extends Error {
	constructor(
		message: string,
		/** The proxy's own HTTP status (407, 502, …); undefined when it never answered with one. */
		readonly proxyStatus: number | undefined,
		options?: { cause?: unknown },
	) {
		super(message, options);
		this.name = 'ProxyError';
	}
}

const REASONS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'name lookup failed',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	ECONNRESET: 'connection reset',
	ETIMEDOUT: 'connection timed out',
};

function named(proxy: ProxyServer): string {
	return `The proxy ${proxy.display} (set in ${proxy.source})`;
}

export function proxyUnreachable(proxy: ProxyServer, cause: NodeJS.ErrnoException): ProxyError {
	// Words, not the raw code: n8n replaces messages holding ECONNREFUSED with a generic text.
	const reason = REASONS[cause.code ?? ''] ?? 'connection failed';
	return new ProxyError(
		`${named(proxy)} cannot be reached (${reason}): check the setting and that the proxy runs`,
		undefined,
		{ cause },
	);
}

/** The proxy answered, but not with a tunnel (CONNECT) or with the Cloud API's answer (forwarding). */
export function proxyRefusal(proxy: ProxyServer, status: number | undefined): ProxyError {
	if (status === 407)
		return new ProxyError(
			proxy.authorization
				? `${named(proxy)} rejected its user and password: correct them in ${proxy.source} (http://user:password@host:port)`
				: `${named(proxy)} requires a user and password: give them in ${proxy.source} as http://user:password@host:port`,
			407,
		);
	if (status === undefined)
		return new ProxyError(
			`${named(proxy)} did not answer with HTTP: check that it is an HTTP proxy`,
			undefined,
		);
	return new ProxyError(
		`${named(proxy)} refused the connection to the WhatsApp Cloud API with HTTP ${status}`,
		status,
	);
}

export function proxyClosed(proxy: ProxyServer): ProxyError {
	return new ProxyError(
		`${named(proxy)} closed the connection instead of opening a tunnel to the WhatsApp Cloud API`,
		undefined,
	);
}

/**
 * Nothing reached Meta, so the error is `certain`. A refusal every request would meet (407
 * credentials, 403 policy, a proxy without CONNECT) stops the broadcast; an unreachable or
 * failing proxy (502, 503, no answer) is retried like any network error, and the sender's
 * give-up-after-N-unanswered rule ends it if the proxy stays away.
 */
export function proxyCloudApiError(error: ProxyError): CloudApiError {
	const status = error.proxyStatus;
	const definite = status !== undefined && status >= 400 && status < 500 && status !== 408;
	return new CloudApiError(
		error.message,
		undefined,
		undefined,
		definite ? 'abort' : 'retry',
		true,
		{
			cause: error,
		},
	);
}
