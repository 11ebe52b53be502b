/**
 * The exported workflows (workflows/*.json) and the credentials they reference, pointed at a
 * local setup: the simulator instead of Meta, local feeds instead of the municipality's.
 * Shared by the end-to-end tests and the sandbox, so both run exactly what admins import.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { SimulatorConfig } from '../../simulator';
import type { CredentialImport, WorkflowImport } from './instance';
import { PACKAGE_ROOT } from './package';

export const WORKFLOW_FILES = [
	'subscriptions.json',
	'rss-announcements.json',
	'gazette-announcements.json',
	'cms-announcements.json',
	'resume-broadcasts.json',
	// The others name it as their error workflow (settings.errorWorkflow = its id).
	'error-alerts.json',
] as const;

export type WorkflowFile = (typeof WORKFLOW_FILES)[number];

interface WorkflowNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
	disabled?: boolean;
	[key: string]: unknown;
}

export interface ExportedWorkflow extends WorkflowImport {
	nodes: WorkflowNode[];
}

export function loadWorkflow(file: WorkflowFile): ExportedWorkflow {
	return JSON.parse(
		readFileSync(join(PACKAGE_ROOT, 'workflows', file), 'utf8'),
	) as ExportedWorkflow;
}

export function findNode(workflow: ExportedWorkflow, name: string): WorkflowNode {
	const node = workflow.nodes.find((n) => n.name === name);
	if (!node) throw new Error(`Workflow "${workflow.name}" has no node "${name}"`);
	return node;
}

/** Production webhook path of a node with a webhookId (trigger: `<webhookId>/whatsapp`). */
export function triggerWebhookPath(workflow: ExportedWorkflow): string {
	const trigger = workflow.nodes.find((n) => n.type.endsWith('.whatsAppBroadcastTrigger'));
	if (!trigger?.webhookId)
		throw new Error(`Workflow "${workflow.name}" has no trigger with a webhookId`);
	return `${trigger.webhookId}/whatsapp`;
}

export function cmsWebhookPath(workflow: ExportedWorkflow): string {
	return String(findNode(workflow, 'CMS Announcement').parameters.path);
}

/** The POST webhooks n8n must serve before a local setup is ready: WhatsApp trigger and CMS. */
export function serviceWebhooks(
	subscriptions: ExportedWorkflow,
	cms: ExportedWorkflow,
): Array<{ path: string; method: 'POST' }> {
	return [
		{ path: triggerWebhookPath(subscriptions), method: 'POST' },
		{ path: cmsWebhookPath(cms), method: 'POST' },
	];
}

/** Every credential reference (by type) in the given workflows, deduplicated by id. */
export function credentialRefs(
	workflows: ExportedWorkflow[],
): Map<string, { id: string; name: string; type: string }> {
	const refs = new Map<string, { id: string; name: string; type: string }>();
	for (const workflow of workflows)
		for (const node of workflow.nodes)
			for (const [type, ref] of Object.entries(node.credentials ?? {}))
				refs.set(ref.id, { ...ref, type });
	return refs;
}

export interface LocalSetup {
	/** The simulator (its base URL, access token, phone number ID, WABA ID and app secret). */
	simulator: {
		baseUrl: string;
		config: Pick<SimulatorConfig, 'accessToken' | 'phoneNumberId' | 'wabaId' | 'appSecret'>;
	};
	consentStorePath: string;
	dataProtectionKey: string;
	cmsHeader: { name: string; value: string };
	smtp?: { host: string; port: number };
}

/** Credentials with the ids and names the workflows reference, pointing at the local setup. */
export function localCredentials(
	workflows: ExportedWorkflow[],
	setup: LocalSetup,
): CredentialImport[] {
	const data: Record<string, Record<string, unknown>> = {
		whatsAppBroadcastApi: {
			accessToken: setup.simulator.config.accessToken,
			phoneNumberId: setup.simulator.config.phoneNumberId,
			wabaId: setup.simulator.config.wabaId,
			appSecret: setup.simulator.config.appSecret,
			verifyToken: 'sandbox-verify-token',
			graphApiVersion: 'v24.0',
			baseUrl: setup.simulator.baseUrl,
		},
		consentStoreDb: {
			backend: 'sqlite',
			sqlitePath: setup.consentStorePath,
			dataProtectionKey: setup.dataProtectionKey,
		},
		httpHeaderAuth: { name: setup.cmsHeader.name, value: setup.cmsHeader.value },
		smtp: {
			host: setup.smtp?.host ?? '127.0.0.1',
			port: setup.smtp?.port ?? 2525,
			secure: false,
			disableStartTls: true,
			user: '',
			password: '',
		},
	};
	return [...credentialRefs(workflows).values()].map((ref) => {
		const values = data[ref.type];
		if (!values) throw new Error(`No local credential for type ${ref.type} (${ref.name})`);
		return { id: ref.id, name: ref.name, type: ref.type, data: values };
	});
}

/** Points a feed trigger at a local URL and polls every minute (n8n's shortest interval). */
export function pointFeedAt(workflow: ExportedWorkflow, nodeName: string, url: string): void {
	const node = findNode(workflow, nodeName);
	node.parameters.feedUrl = url;
	node.parameters.pollTimes = { item: [{ mode: 'everyMinute' }] };
}
