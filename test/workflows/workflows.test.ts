/**
 * The exported workflows are what admins import: each must parse, use only node types n8n
 * 2.41.1 or this package provides (our nodes with parameters our descriptions declare), connect
 * only to existing nodes, keep execution data out of n8n's database, and reference credentials
 * by our two types or a base-node type. The end-to-end suite imports and publishes them in a
 * real n8n; this suite catches mistakes without one.
 */
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { ConsentStore } from '../../nodes/ConsentStore/ConsentStore.node';
import { WhatsAppBroadcast } from '../../nodes/WhatsAppBroadcast/WhatsAppBroadcast.node';
import { WhatsAppBroadcastTrigger } from '../../nodes/WhatsAppBroadcastTrigger/WhatsAppBroadcastTrigger.node';
import { loadWorkflow, WORKFLOW_FILES, type ExportedWorkflow } from '../../scripts/n8n/workflows';
import { packageInfo } from '../../scripts/n8n/package';

const PACKAGE = packageInfo().name;

const OUR_NODES: Record<string, INodeTypeDescription> = Object.fromEntries(
	[new ConsentStore(), new WhatsAppBroadcast(), new WhatsAppBroadcastTrigger()].map((n) => [
		`${PACKAGE}.${n.description.name}`,
		n.description,
	]),
);

/** Base nodes the workflows may use, with the versions n8n 2.41.1's n8n-nodes-base declares. */
const BASE_NODES: Record<string, number[]> = {
	'n8n-nodes-base.stickyNote': [1],
	'n8n-nodes-base.rssFeedReadTrigger': [1],
	'n8n-nodes-base.scheduleTrigger': [1, 1.1, 1.2, 1.3, 1.4],
	'n8n-nodes-base.httpRequest': [4, 4.1, 4.2, 4.3, 4.4, 4.5],
	'n8n-nodes-base.html': [1, 1.1, 1.2],
	'n8n-nodes-base.splitOut': [1],
	'n8n-nodes-base.removeDuplicates': [1, 1.1, 2],
	'n8n-nodes-base.filter': [2, 2.1, 2.2, 2.3],
	'n8n-nodes-base.if': [2, 2.1, 2.2, 2.3],
	'n8n-nodes-base.set': [3.3, 3.4, 3.5],
	'n8n-nodes-base.webhook': [2, 2.1],
	'n8n-nodes-base.respondToWebhook': [1.1, 1.2, 1.3, 1.4, 1.5],
	'n8n-nodes-base.emailSend': [2, 2.1],
};

const OUR_CREDENTIALS = ['whatsAppBroadcastApi', 'consentStoreDb'];
const BASE_CREDENTIALS = ['smtp', 'httpHeaderAuth'];

const REQUIRED_SETTINGS = {
	executionOrder: 'v1',
	saveDataSuccessExecution: 'none',
	// Deliberate: failed runs are kept so staff can see why an announcement or reply failed and
	// retry it. Our nodes emit pseudonyms and sealed tokens only, so they hold no phone number.
	saveDataErrorExecution: 'all',
	saveManualExecutions: false,
	saveExecutionProgress: false,
};

/** Output count of one of our nodes as configured (Process Message routes to four). */
function outputCount(
	description: INodeTypeDescription,
	parameters: Record<string, unknown>,
): number {
	if (Array.isArray(description.outputs)) return description.outputs.length;
	return parameters.operation === 'processMessage' || parameters.operation === undefined ? 4 : 1;
}

function versions(description: INodeTypeDescription): number[] {
	return Array.isArray(description.version) ? description.version : [description.version];
}

function propertyNames(description: INodeTypeDescription): Set<string> {
	return new Set(description.properties.map((p: INodeProperties) => p.name));
}

describe.each(WORKFLOW_FILES.map((file) => [file]))('workflows/%s', (file) => {
	let workflow: ExportedWorkflow;

	beforeAll(() => {
		workflow = loadWorkflow(file);
	});

	it('parses and has an id, a name, nodes and connections', () => {
		expect(typeof workflow.id).toBe('string');
		expect(workflow.name).toMatch(/^Civic Broadcast: /);
		expect(workflow.nodes.length).toBeGreaterThan(2);
		expect(typeof workflow.connections).toBe('object');
	});

	it('keeps execution data out of n8n’s database as required', () => {
		expect(workflow.settings).toMatchObject(REQUIRED_SETTINGS);
	});

	it('uses only known node types in a known version', () => {
		for (const node of workflow.nodes) {
			const ours = OUR_NODES[node.type];
			const known = ours ? versions(ours) : BASE_NODES[node.type];
			expect({ node: node.name, type: node.type, known: Boolean(known) }).toEqual({
				node: node.name,
				type: node.type,
				known: true,
			});
			expect(known).toContain(node.typeVersion);
		}
	});

	it('gives our nodes only parameters their descriptions declare, with a valid operation', () => {
		for (const node of workflow.nodes) {
			const description = OUR_NODES[node.type];
			if (!description) continue;
			const declared = propertyNames(description);
			const unknown = Object.keys(node.parameters).filter((name) => !declared.has(name));
			expect({ node: node.name, unknown }).toEqual({ node: node.name, unknown: [] });
			const operation = description.properties.find((p) => p.name === 'operation');
			if (operation && node.parameters.operation !== undefined) {
				const values = (operation.options as Array<{ value: string }>).map((o) => o.value);
				expect(values).toContain(node.parameters.operation);
			}
		}
	});

	it('has unique node names and ids, and every connection joins existing nodes and outputs', () => {
		const names = workflow.nodes.map((n) => n.name);
		expect(new Set(names).size).toBe(names.length);
		const ids = workflow.nodes.map((n) => n.id);
		expect(new Set(ids).size).toBe(ids.length);
		const byName = new Map(workflow.nodes.map((n) => [n.name, n]));
		const connections = workflow.connections as Record<
			string,
			{ main: Array<Array<{ node: string }>> }
		>;
		for (const [source, { main }] of Object.entries(connections)) {
			const node = byName.get(source);
			expect({ source, exists: Boolean(node) }).toEqual({ source, exists: true });
			const ours = node && OUR_NODES[node.type];
			if (ours) expect(main.length).toBeLessThanOrEqual(outputCount(ours, node.parameters));
			for (const targets of main)
				for (const target of targets)
					expect({ source, target: target.node, exists: byName.has(target.node) }).toEqual({
						source,
						target: target.node,
						exists: true,
					});
		}
	});

	it('connects every working node (nothing dangling except triggers and notes)', () => {
		const connections = workflow.connections as Record<
			string,
			{ main: Array<Array<{ node: string }>> }
		>;
		const targets = new Set(
			Object.values(connections).flatMap(({ main }) => main.flat().map((t) => t.node)),
		);
		const loose = workflow.nodes.filter(
			(n) =>
				n.type !== 'n8n-nodes-base.stickyNote' &&
				!/trigger|webhook$/i.test(n.type) &&
				!targets.has(n.name),
		);
		expect(loose.map((n) => n.name)).toEqual([]);
	});

	it('references credentials by our two types or a base-node type, and gives our nodes the ones they require', () => {
		for (const node of workflow.nodes) {
			for (const [type, ref] of Object.entries(node.credentials ?? {})) {
				expect([...OUR_CREDENTIALS, ...BASE_CREDENTIALS]).toContain(type);
				expect(ref.id).toBeTruthy();
				expect(ref.name).toBeTruthy();
			}
			const description = OUR_NODES[node.type];
			if (!description) continue;
			for (const credential of description.credentials ?? []) {
				const shown = credential.displayOptions?.show?.operation as string[] | undefined;
				const needed =
					credential.required && (!shown || shown.includes(String(node.parameters.operation)));
				if (needed)
					expect({ node: node.name, has: Object.keys(node.credentials ?? {}) }).toEqual({
						node: node.name,
						has: expect.arrayContaining([credential.name]),
					});
			}
		}
	});

	it('explains itself to staff in sticky notes', () => {
		const notes = workflow.nodes.filter((n) => n.type === 'n8n-nodes-base.stickyNote');
		expect(notes.length).toBeGreaterThanOrEqual(2);
		for (const note of notes) expect(String(note.parameters.content).length).toBeGreaterThan(80);
		expect(notes.some((n) => /configure/i.test(String(n.parameters.content)))).toBe(true);
	});

	it('gives every webhook node a fixed webhookId and holds no phone number', () => {
		for (const node of workflow.nodes)
			if (/webhook$|whatsAppBroadcastTrigger$/.test(node.type))
				expect(node.webhookId).toMatch(/^[0-9a-f-]{36}$/);
		expect(JSON.stringify(workflow)).not.toMatch(/\+?\b\d{10,15}\b/);
	});
});
