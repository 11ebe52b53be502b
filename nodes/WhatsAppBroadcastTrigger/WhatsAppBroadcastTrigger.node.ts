import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { consentStoreDbTest } from '../shared/consent-store-credential-test';
import { triggerOptions } from './options.description';
import { appSubscriptionMethods, subscriptionProperties } from './webhook/app-subscription';
import { receiveDelivery } from './webhook/delivery.webhook';
import { answerHandshake } from './webhook/handshake.webhook';

/**
 * Receives Meta's signed WhatsApp webhooks. Thin: the checks and the parsing live in
 * `nodes/core/webhook`; this file declares the two webhooks and routes to them.
 */
export class WhatsAppBroadcastTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WhatsApp Broadcast Trigger',
		name: 'whatsAppBroadcastTrigger',
		icon: {
			light: 'file:../../icons/broadcast-trigger.svg',
			dark: 'file:../../icons/broadcast-trigger.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: 'Messages and delivery statuses',
		description:
			'Starts the workflow when citizens write to the municipal WhatsApp number or a sent message changes status; senders arrive sealed, never as phone numbers',
		defaults: { name: 'WhatsApp Broadcast Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Messages', 'Statuses'],
		credentials: [
			{ name: 'whatsAppBroadcastApi', required: true },
			// `consentStoreDb` names a database credential (public interface), not an API.
			// eslint-disable-next-line n8n-nodes-base/node-class-description-credentials-name-unsuffixed
			{ name: 'consentStoreDb', required: true, testedBy: 'consentStoreDbTest' },
		],
		webhooks: [
			{ name: 'setup', httpMethod: 'GET', responseMode: 'onReceived', path: 'whatsapp' },
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'whatsapp' },
		],
		properties: [
			{
				displayName:
					'Enter the production URL above as the Callback URL in your Meta app (WhatsApp > Configuration), with the Verify Token of the WhatsApp Broadcast API credential, and subscribe to the "messages" field (and "user_preferences" for marketing opt-outs)',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			...subscriptionProperties,
			triggerOptions,
		],
	};

	methods = { credentialTest: { consentStoreDbTest } };

	webhookMethods = { default: appSubscriptionMethods };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return this.getWebhookName() === 'setup'
			? answerHandshake.call(this)
			: receiveDelivery.call(this);
	}
}
