import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { consentStoreDbTest } from '../shared/consent-store-credential-test';
import { operationSubtitle } from '../shared/subtitle';
import { operationProperties, router } from './actions/router';

const needsApi = { show: { operation: ['sendAnnouncement', 'reply', 'resumeBroadcasts'] } };

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Record Status',
			value: 'recordStatus',
			description: "Update delivery states from the trigger's status items",
			action: 'Record a delivery status',
		},
		{
			name: 'Reply',
			value: 'reply',
			description: 'Send free text to one person inside the 24-hour window',
			action: 'Reply to a person',
		},
		{
			name: 'Report',
			value: 'report',
			description: 'Counts of sent, delivered, read and failed per broadcast',
			action: 'Report on broadcasts',
		},
		{
			name: 'Resume Broadcasts',
			value: 'resumeBroadcasts',
			description:
				'Send what is still queued for this number (after a crash, a restart or without waiting)',
			action: 'Resume queued broadcasts',
		},
		{
			name: 'Send Announcement',
			value: 'sendAnnouncement',
			description: 'Send each input item as an announcement to every subscriber',
			action: 'Send an announcement',
		},
	],
	default: 'sendAnnouncement',
};

/** "Send Announcement · civic_announcement": the template name when a fixed one is sent. */
const templateDetail = [
	`$parameter.operation === "sendAnnouncement" && $parameter.messageType === "template"`,
	`typeof $rawParameter.templateName === "string" && $rawParameter.templateName.trim() !== ""`,
	// An expression names the template per item: nothing to show before the run.
	`!$rawParameter.templateName.startsWith("=")`,
].join(' && ');

export class WhatsAppBroadcast implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'WhatsApp Broadcast',
		name: 'whatsAppBroadcast',
		icon: {
			light: 'file:../../icons/broadcast.svg',
			dark: 'file:../../icons/broadcast.dark.svg',
		},
		group: ['output'],
		version: 1,
		subtitle: operationSubtitle(
			operation,
			`(${templateDetail} ? " · " + $rawParameter.templateName.trim() : "")`,
		),
		description:
			'Send announcements to opted-in subscribers over the WhatsApp Cloud API, reply, and track delivery',
		defaults: { name: 'WhatsApp Broadcast' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'whatsAppBroadcastApi', required: true, displayOptions: needsApi },
			// `consentStoreDb` names a database credential (public interface), not an API.
			// eslint-disable-next-line n8n-nodes-base/node-class-description-credentials-name-unsuffixed
			{ name: 'consentStoreDb', required: true, testedBy: 'consentStoreDbTest' },
		],
		properties: [operation, ...operationProperties],
	};

	methods = { credentialTest: { consentStoreDbTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router.call(this);
	}
}
