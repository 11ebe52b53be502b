import {
	NodeApiError,
	type IHookFunctions,
	type INodeProperties,
	type JsonObject,
} from 'n8n-workflow';

import { readApiCredential } from '../../shared/api-credential';

/**
 * Optional, off by default: on activation, register the production URL as the Meta app's
 * WhatsApp webhook (`POST /{app-id}/subscriptions`). That setting is app-wide, so it is never
 * touched unless asked for, and never removed on deactivation (another workflow or number of the
 * same app may rely on it).
 */
export const subscriptionProperties: INodeProperties[] = [
	{
		displayName: 'Register Callback URL on Activation',
		name: 'registerSubscription',
		type: 'boolean',
		default: false,
		description:
			'Whether to set this trigger’s production URL as the Meta app’s WhatsApp webhook when the workflow is activated. This changes an app-wide setting; leave off to configure the webhook in the Meta app yourself.',
	},
	{
		displayName: 'Meta App ID',
		name: 'appId',
		type: 'string',
		default: '',
		required: true,
		description:
			'The ID of the Meta app (App settings > Basic); its app secret is taken from the credential',
		displayOptions: { show: { registerSubscription: [true] } },
	},
];

async function subscriptionRequest(
	context: IHookFunctions,
	method: 'GET' | 'POST',
	form?: Record<string, string>,
): Promise<{ data?: Array<{ object?: string; callback_url?: string; active?: boolean }> }> {
	const api = await readApiCredential(context);
	const appId = String(context.getNodeParameter('appId', '')).trim();
	try {
		return (await context.helpers.httpRequest({
			method,
			url: `${api.baseUrl}/${api.version}/${encodeURIComponent(appId)}/subscriptions`,
			// An app access token is `app-id|app-secret`; the System User token cannot manage apps.
			qs: { access_token: `${appId}|${api.appSecret}` },
			body: form ? new URLSearchParams(form).toString() : undefined,
			headers: form ? { 'content-type': 'application/x-www-form-urlencoded' } : undefined,
			json: true,
		})) as { data?: Array<{ object?: string; callback_url?: string; active?: boolean }> };
	} catch (error) {
		throw new NodeApiError(context.getNode(), error as JsonObject, {
			message: 'Could not register the webhook with the Meta app: check the App ID and App Secret',
		});
	}
}

function registering(context: IHookFunctions): boolean {
	return context.getNodeParameter('registerSubscription', false) === true;
}

export const appSubscriptionMethods = {
	async checkExists(this: IHookFunctions): Promise<boolean> {
		if (!registering(this)) return true;
		const url = this.getNodeWebhookUrl('default');
		const answer = await subscriptionRequest(this, 'GET');
		return (answer.data ?? []).some(
			(s) =>
				s.object === 'whatsapp_business_account' && s.callback_url === url && s.active !== false,
		);
	},
	async create(this: IHookFunctions): Promise<boolean> {
		if (!registering(this)) return true;
		const api = await readApiCredential(this);
		await subscriptionRequest(this, 'POST', {
			object: 'whatsapp_business_account',
			callback_url: this.getNodeWebhookUrl('default') ?? '',
			verify_token: api.verifyToken,
			fields: 'messages,user_preferences',
		});
		return true;
	},
	async delete(this: IHookFunctions): Promise<boolean> {
		return true;
	},
};
