import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

/** The WhatsApp Cloud API side: one Meta app and one business phone number. */
export class WhatsAppBroadcastApi implements ICredentialType {
	name = 'whatsAppBroadcastApi';

	displayName = 'WhatsApp Broadcast API';

	icon: Icon = {
		light: 'file:../icons/whatsapp-broadcast.svg',
		dark: 'file:../icons/whatsapp-broadcast.dark.svg',
	};

	documentationUrl =
		'https://example.invalid/n8n-nodes-civic-broadcast#connecting-a-real-meta-app';

	properties: INodeProperties[] = [
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
			description: 'The ID of the business phone number (not the number itself), from WhatsApp Manager',
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
			default: '',
			description:
				'The Meta app secret; the trigger uses it to check the X-Hub-Signature-256 of every webhook',
		},
		{
			displayName: 'Verify Token',
			name: 'verifyToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Any secret string; enter the same in the Meta app webhook settings',
		},
		{
			displayName: 'Graph API Version',
			name: 'graphApiVersion',
			type: 'string',
			default: 'v24.0',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://graph.facebook.com',
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
