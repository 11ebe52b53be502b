import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/** Where subscribers and the delivery ledger live, and the key that protects their numbers. */
// The type name `consentStoreDb` is public interface (exported workflows reference it); it names a
// database, not an API, like n8n's own `postgres` credential, so the `-Api` suffix rules do not fit.
// eslint-disable-next-line n8n-nodes-base/cred-class-name-unsuffixed
export class ConsentStoreDb implements ICredentialType {
	// eslint-disable-next-line n8n-nodes-base/cred-class-field-name-unsuffixed
	name = 'consentStoreDb';

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-display-name-missing-api
	displayName = 'Consent Store Database';

	icon: Icon = {
		light: 'file:../icons/consent-store.svg',
		dark: 'file:../icons/consent-store.dark.svg',
	};

	// The README is the documentation; its public copy is the package page on npm.
	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-civic-broadcast#consent-store';

	properties: INodeProperties[] = [
		{
			displayName: 'Backend',
			name: 'backend',
			type: 'options',
			options: [
				{
					name: 'SQLite (One n8n Process)',
					value: 'sqlite',
				},
				{
					name: 'PostgreSQL (Queue Mode, Several Workers)',
					value: 'postgres',
				},
			],
			default: 'sqlite',
		},
		{
			displayName: 'SQLite File Path',
			name: 'sqlitePath',
			type: 'string',
			default: '~/.n8n/civic-broadcast.sqlite',
			description: 'Absolute path, or starting with ~/ for the home folder of the user running n8n',
			displayOptions: { show: { backend: ['sqlite'] } },
		},
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			default: 'localhost',
			displayOptions: { show: { backend: ['postgres'] } },
		},
		{
			displayName: 'Port',
			name: 'port',
			type: 'number',
			default: 5432,
			displayOptions: { show: { backend: ['postgres'] } },
		},
		{
			displayName: 'Database',
			name: 'database',
			type: 'string',
			default: 'n8n',
			displayOptions: { show: { backend: ['postgres'] } },
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: 'n8n',
			displayOptions: { show: { backend: ['postgres'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { backend: ['postgres'] } },
		},
		{
			displayName: 'SSL',
			name: 'ssl',
			type: 'boolean',
			default: false,
			displayOptions: { show: { backend: ['postgres'] } },
		},
		{
			displayName: 'Schema',
			name: 'schema',
			type: 'string',
			default: 'civic_broadcast',
			description: 'Created if missing; keep it separate from n8n’s own tables',
			displayOptions: { show: { backend: ['postgres'] } },
		},
		{
			displayName:
				'Keep a copy of the data-protection key in a safe place (e.g. the password manager of your IT). Without it the stored phone numbers cannot be read, and a store created with another key refuses this one.',
			name: 'keyNotice',
			type: 'notice',
			default: '',
		},
		// The key is the one secret that protects every stored number: it must stay masked.
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password
		{
			displayName: 'Data-Protection Key',
			name: 'dataProtectionKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'Secret of at least 16 characters, e.g. from `openssl rand -base64 32`, that encrypts phone numbers at rest and seals them in execution data',
		},
	];
}
