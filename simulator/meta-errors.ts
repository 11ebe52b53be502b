/** Meta's error envelope and the codes the simulator answers with. */

export interface MetaErrorBody {
	error: {
		message: string;
		type: string;
		code: number;
		error_data?: { messaging_product: 'whatsapp'; details: string };
		error_subcode?: number;
		fbtrace_id: string;
	};
}

export interface SimError {
	httpStatus: number;
	body: MetaErrorBody;
}

const TITLES: Record<number, string> = {
	0: 'AuthException',
	1: 'API Unknown',
	2: 'API Service',
	100: 'Invalid parameter',
	190: 'Invalid OAuth access token - Cannot parse access token',
	130429: 'Rate limit hit',
	131000: 'Something went wrong',
	131026: 'Message undeliverable',
	131047: 'Re-engagement message',
	131049: 'This message was not delivered to maintain healthy ecosystem engagement.',
	131050:
		'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.',
	131051: 'Unsupported message type',
	131056: '(Business Account, Consumer Account) pair rate limit hit',
	131008: 'Required parameter is missing',
	131009: 'Parameter value is not valid',
	132012: 'Parameter format does not match format in the created template',
	132000: 'Number of parameters does not match the expected number of params',
	132001: 'Template name does not exist in the translation',
	132005: 'Translated text too long',
	132018: 'There was an issue with the parameters in your template.',
	368: 'Temporarily blocked for policies violations',
	131031: 'Account has been locked',
	131048: 'Spam rate limit hit',
};

/** HTTP statuses the simulator uses: 401 for auth, 429 for throughput limits, 500 for internal, else 400. */
function httpStatusFor(code: number): number {
	if (code === 190 || code === 0) return 401;
	if (code === 130429 || code === 131056 || code === 4 || code === 80007) return 429;
	if (code === 1 || code === 2 || code === 131000) return 500;
	return 400;
}

let trace = 0;

export function metaError(code: number, details: string): SimError {
	const title = TITLES[code] ?? 'Error';
	trace += 1;
	return {
		httpStatus: httpStatusFor(code),
		body: {
			error: {
				message: `(#${code}) ${title}`,
				type: 'OAuthException',
				code,
				error_data: { messaging_product: 'whatsapp', details },
				fbtrace_id: `SIMTRACE${trace.toString(36).toUpperCase()}`,
			},
		},
	};
}

export function errorTitle(code: number): string {
	return TITLES[code] ?? 'Error';
}
