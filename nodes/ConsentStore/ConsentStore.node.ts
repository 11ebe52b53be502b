import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
	updateDisplayOptions,
} from 'n8n-workflow';

import {
	languageProperty,
	pseudonymPrefixProperty,
	regionProperty,
	textVersionProperty,
} from './actions/common.description';
import { operationProperties, router } from './actions/router';
import { consentStoreDbTest } from '../shared/consent-store-credential-test';
import { operationSubtitle } from '../shared/subtitle';

// Process Message routes to four outputs and a fifth for the hourly held-back summary; every
// other operation has one.
const OUTPUTS: `={{${string}}}` = `={{ $parameter.operation === "processMessage" ? [{"type":"${NodeConnectionTypes.Main}","displayName":"Subscribed"},{"type":"${NodeConnectionTypes.Main}","displayName":"Unsubscribed"},{"type":"${NodeConnectionTypes.Main}","displayName":"Info"},{"type":"${NodeConnectionTypes.Main}","displayName":"Other"},{"type":"${NodeConnectionTypes.Main}","displayName":"Held Back"}] : [{"type":"${NodeConnectionTypes.Main}","displayName":"Result"}] }}`;

/** Operations that record consent, or describe how it is recorded: they share its settings. */
const CONSENT_OPERATIONS = ['import', 'processMessage', 'processingRecord', 'subscribe'];

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Import',
			value: 'import',
			description: 'Import a contact list (CSV or vCard)',
			action: 'Import a contact list',
		},
		{
			name: 'Look Up',
			value: 'lookUp',
			description: 'Show what is stored about a pseudonym',
			action: 'Look up a subscriber',
		},
		{
			name: 'Process Message',
			value: 'processMessage',
			description: 'Handle Start, Stop, Info and Help messages from the trigger',
			action: 'Process an incoming message',
		},
		{
			name: 'Processing Record',
			value: 'processingRecord',
			description: 'Generate the GDPR record of processing (Article 30)',
			action: 'Generate the processing record',
		},
		{
			name: 'Remove Undeliverable',
			value: 'removeUndeliverable',
			description:
				'Delete subscribers WhatsApp could not deliver to (error 131026) in several broadcasts in a row',
			action: 'Remove undeliverable subscribers',
		},
		{
			name: 'Retry Unprocessed Messages',
			value: 'retryMessages',
			description:
				'Hand out again the WhatsApp messages the trigger accepted but Process Message has not applied (run it on a schedule into Process Message)',
			action: 'Retry unprocessed messages',
		},
		{
			name: 'Statistics',
			value: 'statistics',
			description: 'Count subscribers, joins and leaves',
			action: 'Get statistics',
		},
		{
			name: 'Subscribe',
			value: 'subscribe',
			description: 'Add a paper sign-up by hand',
			action: 'Subscribe a person',
		},
		{
			name: 'Unsubscribe',
			value: 'unsubscribe',
			description: 'Remove a person by pseudonym or number',
			action: 'Unsubscribe a person',
		},
	],
	default: 'processMessage',
};

/** Subscribers and their consent: thin shell over `nodes/core/consent` and the store. */
export class ConsentStore implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Consent Store',
		name: 'consentStore',
		icon: {
			light: 'file:../../icons/consent-store.svg',
			dark: 'file:../../icons/consent-store.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: operationSubtitle(operation),
		description:
			'Keeps the opt-in list of the WhatsApp announcement service: Start/Stop keywords, pseudonyms, encrypted numbers, imports, statistics and the GDPR record',
		defaults: { name: 'Consent Store' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: OUTPUTS,
		credentials: [
			// `consentStoreDb` names a database credential (public interface), not an API.
			// eslint-disable-next-line n8n-nodes-base/node-class-description-credentials-name-unsuffixed
			{ name: 'consentStoreDb', required: true, testedBy: 'consentStoreDbTest' },
		],
		properties: [
			operation,
			...updateDisplayOptions({ show: { operation: CONSENT_OPERATIONS } }, [
				pseudonymPrefixProperty,
				textVersionProperty,
				languageProperty(
					'The service’s language: replies and new subscribers take it when the keyword does not tell (Start, Stop and Info are used in several languages), and so does the pseudonym prefix unless one is set',
				),
			]),
			...updateDisplayOptions({ show: { operation: ['import', 'subscribe'] } }, [regionProperty]),
			...updateDisplayOptions({ show: { operation: ['unsubscribe'], identifyBy: ['phone'] } }, [
				regionProperty,
			]),
			...operationProperties,
		],
	};

	methods = { credentialTest: { consentStoreDbTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router.call(this);
	}
}
