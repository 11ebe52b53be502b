import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import {
	DEFAULT_BASE_URL,
	DEFAULT_GRAPH_API_VERSION,
	DEFAULT_MESSAGES_PER_SECOND,
	DEFAULT_REPLY_SHARE_PERCENT,
} from '../nodes/shared/api-credential';

/** The WhatsApp Cloud API side: one Meta app and one business phone number. */
export class WhatsAppBroadcastApi implements ICredentialType {
	name = 'whatsAppBroadcastApi';

	displayName = 'WhatsApp Broadcast API';

	icon: Icon = {
		light: 'file:../icons/whatsapp-api.svg',
		dark: 'file:../icons/whatsapp-api.dark.svg',
	};

	// The README is the documentation; its public copy is the package page on npm.
	documentationUrl =
		'https://www.npmjs.com/package/n8n-nodes-civic-broadcast#connecting-a-real-meta-app';

	properties: INodeProperties[] = [
		{
			displayName:
				'How to get these values from Meta: see "Connecting a real Meta app" in the README of the n8n-nodes-civic-broadcast package',
			name: 'setupNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'A permanent System User token with whatsapp_business_messaging permission',
		},
		{
			displayName: 'Phone Number ID',
			name: 'phoneNumberId',
			type: 'string',
			required: true,
			default: '',
			description:
				'The ID of the business phone number (not the number itself), from WhatsApp Manager',
		},
		{
			displayName: 'WhatsApp Business Account ID',
			name: 'wabaId',
			type: 'string',
			default: '',
		},
		{
			displayName: 'App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			// Required although only the trigger reads it: one credential is one Meta app and number,
			// and the service is not complete without its trigger (Start and Stop arrive there).
			required: true,
			default: '',
			description:
				'The Meta app secret (App settings > Basic); the trigger checks the X-Hub-Signature-256 of every webhook with it and refuses unsigned ones',
		},
		{
			displayName: 'Verify Token',
			name: 'verifyToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'A secret of your choice (e.g. from `openssl rand -hex 16`); enter the same in the Meta app’s webhook settings so the trigger can answer its handshake',
		},
		{
			displayName: 'Messages per Second per Number',
			name: 'messagesPerSecond',
			type: 'number',
			default: DEFAULT_MESSAGES_PER_SECOND,
			typeOptions: { minValue: 1, maxValue: 1000 },
			description:
				"The number's throughput limit at Meta (80 unless Meta raised it to 1,000). Everything sent from this number shares it: announcements queue behind one another, replies use the share below.",
		},
		{
			displayName: 'Share Kept for Replies (%)',
			name: 'replySharePercent',
			type: 'number',
			default: DEFAULT_REPLY_SHARE_PERCENT,
			typeOptions: { minValue: 0, maxValue: 50 },
			description:
				'Part of the rate announcements leave free, so replies to citizens go out while an announcement is sending',
		},
		{
			displayName: 'Graph API Version',
			name: 'graphApiVersion',
			type: 'string',
			default: DEFAULT_GRAPH_API_VERSION,
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			description: 'Change only for the simulator or a proxy',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.accessToken}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}/{{$credentials.graphApiVersion}}',
			url: '=/{{$credentials.phoneNumberId}}',
			qs: { fields: 'display_phone_number,verified_name' },
		},
	};
}
