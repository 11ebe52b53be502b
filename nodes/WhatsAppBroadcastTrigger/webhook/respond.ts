import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

/**
 * Answers the request from inside the node, so the status code is ours (401, 403, 400…) and Meta
 * gets its 200 before the workflow even starts. Only `http.ServerResponse` methods are used,
 * which n8n's Express response extends.
 */
export function respond(
	context: IWebhookFunctions,
	status: number,
	body: string,
	contentType = 'text/plain; charset=utf-8',
): void {
	const res = context.getResponseObject() as unknown as {
		statusCode: number;
		setHeader(name: string, value: string | number): void;
		end(body: string): void;
		headersSent?: boolean;
	};
	if (res.headersSent) return;
	res.statusCode = status;
	res.setHeader('content-type', contentType);
	res.setHeader('content-length', Buffer.byteLength(body));
	res.end(body);
}

/** The node answered itself and starts no execution. */
export const NO_EXECUTION: IWebhookResponseData = { noWebhookResponse: true };
