import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { verifyHandshake } from '../../core/webhook';
import { readApiCredential } from '../../shared/api-credential';
import { NO_EXECUTION, respond } from './respond';

/** GET: Meta's verification request when the callback URL is saved in the Meta app. */
export async function answerHandshake(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const { verifyToken } = await readApiCredential(this);
	const result = verifyHandshake(this.getQueryData(), verifyToken);
	if (result.ok) {
		this.logger.info('WhatsApp webhook verified by Meta', { node: this.getNode().name });
		respond(this, 200, result.challenge);
	} else {
		// The reason helps the admin (token typo vs. a stray visit); the token itself is never logged.
		this.logger.warn(`WhatsApp webhook verification refused: ${result.reason}`, {
			node: this.getNode().name,
		});
		respond(this, 403, 'Forbidden');
	}
	return NO_EXECUTION;
}
