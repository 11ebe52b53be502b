/**
 * The exported workflows are what admins import: each must parse, use only node types n8n
 * 2.41.1 or this package provides (our nodes with parameters our descriptions declare), connect
 * only to existing nodes, keep execution data out of n8n's database, and reference credentials
 * by our two types or a base-node type. The end-to-end suite imports and publishes them in a
 * real n8n; this suite catches mistakes without one.
 *
 * Why this file is long: the same rules for every exported file, then the error workflow,
 * the CMS answer and the staff texts, all over one loader and expression evaluator.
 */
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { ConsentStore } from '../../nodes/ConsentStore/ConsentStore.node';
import { WhatsAppBroadcast } from '../../nodes/WhatsAppBroadcast/WhatsAppBroadcast.node';
import { WhatsAppBroadcastTrigger } from '../../nodes/WhatsAppBroadcastTrigger/WhatsAppBroadcastTrigger.node';
import {
	findNode,
	loadWorkflow,
	WORKFLOW_FILES,
	type ExportedWorkflow,
} from '../../scripts/n8n/workflows';
import { packageInfo } from '../../scripts/n8n/package';
import { evaluateParameter, jsonPathsRead, parameterAt } from './expressions';

type WorkflowNode = ExportedWorkflow['nodes'][number];

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
	'n8n-nodes-base.errorTrigger': [1],
	'n8n-nodes-base.stopAndError': [1],
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

/**
 * Output count of one of our nodes as configured (Process Message routes to four), plus n8n's
 * error output when the node's On Error setting adds one.
 */
function outputCount(description: INodeTypeDescription, node: WorkflowNode): number {
	const errorOutput = node.onError === 'continueErrorOutput' ? 1 : 0;
	if (Array.isArray(description.outputs)) return description.outputs.length + errorOutput;
	const operation = node.parameters.operation;
	return (operation === 'processMessage' || operation === undefined ? 5 : 1) + errorOutput;
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
			if (ours) expect(main.length).toBeLessThanOrEqual(outputCount(ours, node));
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

const ERROR_WORKFLOW_FILE = 'error-alerts.json';
const LANGUAGES = ['de', 'sl', 'en'] as const;

describe('the error workflow (alerts for staff)', () => {
	const alerts = loadWorkflow(ERROR_WORKFLOW_FILE);
	const failure = {
		execution: {
			id: '231',
			url: 'https://n8n.musterdorf.example/workflow/civicCmsAnnouncements/executions/231',
			error: {
				message: 'Broadcast "cms:2026-117" aborted after 3 sent: the access token is invalid',
			},
			lastNodeExecuted: 'Announcement Not Sent',
			mode: 'webhook',
		},
		workflow: { id: 'civicCmsAnnouncements', name: 'Civic Broadcast: CMS Announcements' },
	};

	it('starts with n8n’s Error Trigger and e-mails staff over an SMTP credential', () => {
		const triggers = alerts.nodes.filter((n) => n.type === 'n8n-nodes-base.errorTrigger');
		expect(triggers).toHaveLength(1);
		const mail = findNode(alerts, 'E-mail Staff');
		expect(mail.type).toBe('n8n-nodes-base.emailSend');
		expect(Object.keys(mail.credentials ?? {})).toEqual(['smtp']);
		expect(mail.parameters.options).toMatchObject({ appendAttribution: false });
	});

	it.each(WORKFLOW_FILES.filter((f) => f !== ERROR_WORKFLOW_FILE).map((f) => [f]))(
		'%s names it as its error workflow by the id the file gives it',
		(file) => {
			expect(loadWorkflow(file).settings).toMatchObject({ errorWorkflow: alerts.id });
		},
	);

	it('does not name itself (n8n would not run it for its own failures anyway)', () => {
		expect((alerts.settings as Record<string, unknown>).errorWorkflow).toBeUndefined();
	});

	it('reads only the failure’s name, message, node and link: no execution data items', () => {
		const read = ['subject', 'text'].flatMap((field) =>
			jsonPathsRead(String(parameterAt(alerts, 'E-mail Staff', field))),
		);
		expect([...new Set(read)].sort()).toEqual([
			'execution.error.message',
			'execution.lastNodeExecuted',
			'execution.url',
			'staffLanguage',
			'trigger.error.message',
			'workflow.name',
		]);
	});

	it.each(LANGUAGES.map((l) => [l]))(
		'in %s, says which workflow failed, why, where, and links the execution',
		(staffLanguage) => {
			const item = { ...failure, staffLanguage };
			const subject = evaluateParameter(alerts, 'E-mail Staff', 'subject', item);
			const text = String(evaluateParameter(alerts, 'E-mail Staff', 'text', item));
			expect(subject).toBe(
				{ de: 'Fehler', sl: 'Napaka', en: 'Failed' }[staffLanguage] +
					': Civic Broadcast: CMS Announcements',
			);
			expect(text).toContain('Civic Broadcast: CMS Announcements');
			expect(text).toContain(failure.execution.error.message);
			expect(text).toContain('Announcement Not Sent');
			expect(text).toContain(failure.execution.url);
			expect(text).toContain(
				{ de: 'Grund: ', sl: 'Razlog: ', en: 'Reason: ' }[staffLanguage] +
					failure.execution.error.message,
			);
		},
	);

	it.each([['fr'], [''], [undefined]])('in German when staffLanguage is %p', (staffLanguage) => {
		const item = { ...failure, staffLanguage };
		expect(evaluateParameter(alerts, 'E-mail Staff', 'subject', item)).toBe(
			'Fehler: Civic Broadcast: CMS Announcements',
		);
		expect(String(evaluateParameter(alerts, 'E-mail Staff', 'text', item))).toContain(
			'Grund: ' + failure.execution.error.message,
		);
	});

	it('reports a trigger that failed to start (no execution) with its reason', () => {
		const item = {
			trigger: { error: { message: 'The consent store is unreachable' }, mode: 'trigger' },
			workflow: failure.workflow,
			staffLanguage: 'en',
		};
		const text = String(evaluateParameter(alerts, 'E-mail Staff', 'text', item));
		expect(text).toContain('Reason: The consent store is unreachable');
		expect(text).not.toMatch(/undefined|null/);
	});
});

describe('the CMS webhook’s answer when an announcement fails', () => {
	const cms = loadWorkflow('cms-announcements.json');
	const connections = cms.connections as Record<string, { main: Array<Array<{ node: string }>> }>;

	it('sends failures to its error output, answers 502 with the reason and key, then fails the run', () => {
		expect(findNode(cms, 'Send Announcement').onError).toBe('continueErrorOutput');
		const [success, failed] = connections['Send Announcement'].main;
		expect(success.map((t) => t.node)).toEqual(['Respond With Summary']);
		expect(failed.map((t) => t.node)).toEqual(['Respond Not Sent']);
		const respond = findNode(cms, 'Respond Not Sent');
		expect(respond.parameters.options).toEqual({ responseCode: 502 });
		const body = evaluateParameter(cms, 'Respond Not Sent', 'responseBody', {
			title: 'Wasserabschaltung',
			link: 'https://musterdorf.example/wasser',
			key: 'cms:2026-117',
			error: 'Broadcast "cms:2026-117" aborted after 0 sent: the template is paused',
		});
		expect(JSON.parse(String(body))).toEqual({
			error: 'Broadcast "cms:2026-117" aborted after 0 sent: the template is paused',
			key: 'cms:2026-117',
		});
		// The execution must still fail, so it is kept and the error workflow alerts staff.
		expect(connections['Respond Not Sent'].main[0].map((t) => t.node)).toEqual([
			'Announcement Not Sent',
		]);
		const stop = findNode(cms, 'Announcement Not Sent');
		expect(stop.type).toBe('n8n-nodes-base.stopAndError');
		expect(stop.parameters).toEqual({
			errorType: 'errorMessage',
			errorMessage: '={{ $json.error }}',
		});
	});
});

describe('the pseudonym prefix of the exported subscriptions', () => {
	it('is not fixed, so it follows the Default Language (Gast_, Gost_, Guest_)', () => {
		const processMessage = findNode(loadWorkflow('subscriptions.json'), 'Process Message');
		expect(processMessage.parameters.defaultLanguage).toBe('de');
		expect(processMessage.parameters).not.toHaveProperty('pseudonymPrefix');
	});
});

describe('staff-facing texts in German, Slovenian and English, chosen by one setting', () => {
	/** Every staff-facing text of the question e-mail (Ask Staff), by parameter, in each language. */
	const ASK_STAFF_TEXTS: Record<string, Record<(typeof LANGUAGES)[number], string>> = {
		subject: {
			de: 'WhatsApp-Frage von Gast_0007',
			sl: 'Vprašanje prek WhatsAppa od Gast_0007',
			en: 'WhatsApp question from Gast_0007',
		},
		message: {
			de: 'Gast_0007 schreibt (sl):\n\nKdaj je odvoz?\n\nIhre Antwort',
			sl: 'Gast_0007 piše (sl):\n\nKdaj je odvoz?\n\nVaš odgovor',
			en: 'Gast_0007 writes (sl):\n\nKdaj je odvoz?\n\nYour answer',
		},
		'options.messageButtonLabel': { de: 'Antworten', sl: 'Odgovori', en: 'Respond' },
		'options.responseFormTitle': {
			de: 'Antwort an Bürger:in',
			sl: 'Odgovor občanu',
			en: 'Answer to the citizen',
		},
		'formFields.values.0.fieldLabel': { de: 'Ihre Antwort', sl: 'Vaš odgovor', en: 'Your answer' },
		'options.responseFormButtonLabel': {
			de: 'Per WhatsApp senden',
			sl: 'Pošlji prek WhatsAppa',
			en: 'Send on WhatsApp',
		},
	};
	const question = { pseudonym: 'Gast_0007', language: 'sl', text: 'Kdaj je odvoz?' };

	it.each(['subscriptions.json', ERROR_WORKFLOW_FILE].map((f) => [f]))(
		'%s has exactly one staffLanguage setting, a plain de, sl or en (German as shipped)',
		(file) => {
			const workflow = loadWorkflow(file as (typeof WORKFLOW_FILES)[number]);
			const settings = workflow.nodes.flatMap((node) => {
				const assignments = (
					node.parameters.assignments as { assignments?: Array<{ name: string; value: unknown }> }
				)?.assignments;
				return (assignments ?? [])
					.filter((a) => a.name === 'staffLanguage')
					.map((a) => ({ node: node.name, value: a.value }));
			});
			expect(settings).toHaveLength(1);
			expect(settings[0].value).toBe('de');
		},
	);

	it.each(
		Object.entries(ASK_STAFF_TEXTS).flatMap(([path, expected]) =>
			LANGUAGES.map((language) => [path, language, expected] as const),
		),
	)('Ask Staff %s in %s', (path, language, expected) => {
		const workflow = loadWorkflow('subscriptions.json');
		expect(String(parameterAt(workflow, 'Ask Staff', path))).toContain('$json.staffLanguage');
		const value = evaluateParameter(workflow, 'Ask Staff', path, {
			...question,
			staffLanguage: language,
		});
		expect(String(value)).toContain(expected[language]);
	});

	it.each(
		Object.entries(ASK_STAFF_TEXTS).flatMap(([path, expected]) =>
			['fr', '', undefined].map((staffLanguage) => [path, staffLanguage, expected] as const),
		),
	)('Ask Staff %s in German when staffLanguage is %p', (path, staffLanguage, expected) => {
		const workflow = loadWorkflow('subscriptions.json');
		const value = evaluateParameter(workflow, 'Ask Staff', path, { ...question, staffLanguage });
		expect(String(value)).toContain(expected.de);
	});

	it('the staff answer is read from the form’s one field, whatever the label’s language', () => {
		const subscriptions = loadWorkflow('subscriptions.json');
		expect(findNode(subscriptions, 'Ask Staff').parameters.responseType).toBe('customForm');
		for (const label of ['Ihre Antwort', 'Vaš odgovor', 'Your answer']) {
			const resumed = {
				data: { [label]: 'Odvoz je v torek.', respondedAt: '2026-12-01T09:00:00Z' },
			};
			expect(evaluateParameter(subscriptions, 'Send Staff Answer', 'replyText', resumed)).toBe(
				'Odvoz je v torek.',
			);
		}
	});
});
