/**
 * Why this file is long: it drives n8n-core's WebhookContext for every webhook method our
 * trigger has (setup, handshake, delivery) with the additional data n8n builds; the parts only run together.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

import { HookContext, WebhookContext } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IWebhookData,
	type IWebhookDescription,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { closeServer, listenOnLoopback, readBody } from '../support/loopback';
import { sharedAdditionalData } from './additional-data';

/**
 * Runs a trigger node's `webhook()` the way n8n's webhook server does: a real HTTP request on
 * loopback, the request prepared like n8n's body middleware prepares it (`rawBody`,
 * `readRawBody()`, JSON parsed into `body`, 422 when that fails), then n8n-core's real
 * `WebhookContext`, then n8n's rule for who answers (the node, when it says `noWebhookResponse`).
 * One runner is one workflow with one trigger node: static data persists across deliveries.
 */

export interface WebhookRunnerOptions {
	nodeType: INodeType;
	/** Type name used in the workflow (any; the runner registers the node under it). */
	typeName?: string;
	parameters?: INodeParameters;
	/** Decrypted credential data by credential type name. */
	credentials: Record<string, ICredentialDataDecryptedObject>;
	staticData?: IDataObject;
	/** n8n runs production webhooks in `webhook` mode. */
	mode?: WorkflowExecuteMode;
	/** What `getNodeWebhookUrl` reports as the base (n8n's WEBHOOK_URL). */
	webhookBaseUrl?: string;
}

export interface WebhookCall {
	method: 'GET' | 'POST' | 'PUT' | 'DELETE';
	/** Query string parameters (flat, as n8n's parser gives `hub.mode`). */
	query?: Record<string, string>;
	headers?: Record<string, string>;
	body?: Buffer | string;
}

export interface LogLine {
	level: 'error' | 'warn' | 'info' | 'debug';
	message: string;
	metadata?: unknown;
}

export interface WebhookOutcome {
	status: number;
	body: string;
	contentType: string | undefined;
	/** Whether n8n would start an execution (the node returned workflow data). */
	executionStarted: boolean;
	/** What the node returned, one array per output. */
	workflowData: INodeExecutionData[][] | undefined;
	/** JSON of the items on one output (empty when nothing was emitted). */
	output(index: number): IDataObject[];
	/** Did the node itself run (false when n8n refused the body before it)? */
	nodeInvoked: boolean;
}

class SingleNodeTypes implements INodeTypes {
	constructor(
		private readonly name: string,
		private readonly type: INodeType,
	) {}
	getByName(): INodeType {
		return this.type;
	}
	getByNameAndVersion(type: string): INodeType {
		if (type !== this.name) throw new Error(`Unknown node type "${type}" in the webhook runner`);
		return this.type;
	}
	getKnownTypes(): IDataObject {
		return {};
	}
}

type N8nRequest = IncomingMessage & {
	rawBody?: Buffer;
	readRawBody: () => Promise<void>;
	body?: unknown;
	query: Record<string, string>;
	params: Record<string, string>;
	contentType?: string;
};

export class WebhookRunner {
	readonly workflow: Workflow;
	readonly node: INode;
	/** Everything the node logged, for assertions (e.g. no personal data). */
	readonly logs: LogLine[] = [];
	private server?: Server;
	private url = '';
	private readonly pending = new Map<string, (outcome: Partial<WebhookOutcome>) => void>();
	private counter = 0;

	constructor(private readonly options: WebhookRunnerOptions) {
		const typeName = options.typeName ?? 'test.trigger';
		const credentialRefs = Object.fromEntries(
			Object.keys(options.credentials).map((type) => [type, { id: `cred-${type}`, name: type }]),
		);
		this.node = {
			id: 'trigger-node',
			name: 'Trigger',
			type: typeName,
			typeVersion: 1,
			position: [0, 0],
			parameters: options.parameters ?? {},
			credentials: credentialRefs,
			webhookId: 'trigger-webhook-id',
		};
		this.workflow = new Workflow({
			id: 'webhook-test-workflow',
			name: 'webhook test',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes: new SingleNodeTypes(typeName, options.nodeType),
			staticData: options.staticData ?? {},
		});
	}

	/** Sends one request through a real loopback HTTP server into the node. */
	async call(call: WebhookCall): Promise<WebhookOutcome> {
		await this.listen();
		const id = String(++this.counter);
		const captured = new Promise<Partial<WebhookOutcome>>((resolve) =>
			this.pending.set(id, resolve),
		);
		const query = new URLSearchParams(call.query ?? {}).toString();
		const response = await fetch(`${this.url}/webhook${query ? `?${query}` : ''}`, {
			method: call.method,
			headers: { ...call.headers, 'x-webhook-runner-call': id },
			body: call.method === 'GET' ? undefined : call.body,
		});
		const body = await response.text();
		const result = await captured;
		const workflowData = result.workflowData;
		return {
			status: response.status,
			body,
			contentType: response.headers.get('content-type') ?? undefined,
			executionStarted: workflowData !== undefined,
			workflowData,
			nodeInvoked: result.nodeInvoked ?? false,
			output: (index) => (workflowData?.[index] ?? []).map((item) => item.json),
		};
	}

	/** Runs the node's `webhookMethods` for one webhook as n8n does on activation. */
	async activate(webhookName = 'default'): Promise<{ existed: boolean; created: boolean }> {
		const methods = this.options.nodeType.webhookMethods?.[webhookName as 'default'];
		if (!methods) throw new Error(`The node has no webhookMethods for "${webhookName}"`);
		const context = new HookContext(
			this.workflow,
			this.node,
			this.additionalData(),
			this.options.mode ?? 'webhook',
			'activate',
			this.webhookData(webhookName),
		);
		const existed = await methods.checkExists.call(context);
		const created = existed ? false : await methods.create.call(context);
		return { existed, created };
	}

	async close(): Promise<void> {
		const server = this.server;
		this.server = undefined;
		await closeServer(server);
	}

	private async listen(): Promise<void> {
		if (this.server) return;
		const server = createServer((req, res) => {
			void this.handle(req as N8nRequest, res);
		});
		this.url = `http://127.0.0.1:${await listenOnLoopback(server)}`;
		this.server = server;
	}

	private async handle(req: N8nRequest, res: ServerResponse): Promise<void> {
		const id = String(req.headers['x-webhook-runner-call']);
		const done = this.pending.get(id) ?? (() => {});
		this.pending.delete(id);
		try {
			prepareLikeN8n(req);
			if (!(await parseBodyLikeN8n(req, res))) return done({ nodeInvoked: false });
			const result = await this.invoke(req, res);
			answerLikeN8n(res, result);
			done({ nodeInvoked: true, workflowData: result?.workflowData });
		} catch (error) {
			// n8n answers a throwing webhook() with a generic 500 and starts nothing.
			if (!res.headersSent)
				json(res, 500, { message: 'Workflow Webhook Error: Workflow could not be started!' });
			this.logs.push({ level: 'error', message: `webhook() threw: ${(error as Error).message}` });
			done({ nodeInvoked: true });
		}
	}

	private async invoke(
		req: N8nRequest,
		res: ServerResponse,
	): Promise<IWebhookResponseData | undefined> {
		const description = this.findDescription(req.method ?? 'GET');
		if (!description) {
			json(res, 404, { message: 'The requested webhook is not registered.' });
			return undefined;
		}
		const additionalData = this.additionalData();
		additionalData.httpRequest = req as unknown as IWorkflowExecuteAdditionalData['httpRequest'];
		additionalData.httpResponse = res as unknown as IWorkflowExecuteAdditionalData['httpResponse'];
		const context = new WebhookContext(
			this.workflow,
			this.node,
			additionalData,
			this.options.mode ?? 'webhook',
			this.webhookData(description.name),
			[],
			null,
		);
		// The node's log lines are collected here instead of n8n's logger, so tests can read them.
		Object.defineProperty(context, 'logger', { value: this.captureLogger() });
		return this.options.nodeType.webhook!.call(context);
	}

	private findDescription(method: string): IWebhookDescription | undefined {
		return this.options.nodeType.description.webhooks?.find(
			(webhook) => String(webhook.httpMethod).toUpperCase() === method.toUpperCase(),
		);
	}

	private webhookData(name: string): IWebhookData {
		const description = this.options.nodeType.description.webhooks?.find((w) => w.name === name);
		if (!description) throw new Error(`The node declares no webhook "${name}"`);
		return {
			httpMethod: description.httpMethod as IWebhookData['httpMethod'],
			node: this.node.name,
			path: String(description.path),
			webhookDescription: description,
			workflowId: this.workflow.id,
			workflowExecuteAdditionalData: this.additionalData(),
			webhookId: this.node.webhookId,
		};
	}

	private captureLogger() {
		const push = (level: LogLine['level']) => (message: string, metadata?: unknown) =>
			this.logs.push({ level, message, metadata });
		return { error: push('error'), warn: push('warn'), info: push('info'), debug: push('debug') };
	}

	private additionalData(): IWorkflowExecuteAdditionalData {
		return sharedAdditionalData(
			this.options.credentials,
			this.options.webhookBaseUrl,
		) as IWorkflowExecuteAdditionalData;
	}
}

/** What n8n's `rawBodyReader` and `parseIncomingMessage` add to the request. */
function prepareLikeN8n(req: N8nRequest): void {
	const url = new URL(req.url ?? '/', 'http://runner');
	req.query = Object.fromEntries(url.searchParams);
	req.params = {};
	const contentType = req.headers['content-type'];
	req.contentType = contentType?.split(';')[0].trim().toLowerCase();
	req.readRawBody = async () => {
		if (req.rawBody) return;
		req.rawBody = await readBody(req);
	};
}

/**
 * n8n's `parseBody`: JSON bodies are parsed before the node runs, and a body that does not parse
 * is answered 422 by n8n itself. Returns false when the request was answered here.
 */
async function parseBodyLikeN8n(req: N8nRequest, res: ServerResponse): Promise<boolean> {
	await req.readRawBody();
	req.body = {};
	if (!req.rawBody?.length) return true;
	if (req.contentType === 'application/json') {
		try {
			// n8n 2.41 strips a byte-order mark before parsing.
			req.body = JSON.parse(req.rawBody.toString('utf8').replace(/^\uFEFF/, ''));
		} catch (error) {
			json(res, 422, {
				code: 422,
				message: 'Failed to parse request body',
				hint: (error as Error).message,
			});
			return false;
		}
	} else if (req.contentType === 'text/plain') {
		req.body = req.rawBody.toString('utf8');
	}
	return true;
}

/** n8n's `handleImmediateWebhookResponse` for the default `onReceived` mode. */
function answerLikeN8n(res: ServerResponse, result: IWebhookResponseData | undefined): void {
	if (!result || res.headersSent || result.noWebhookResponse) return;
	if (result.workflowData === undefined) {
		json(res, 200, result.webhookResponse ?? { message: 'Webhook call received' });
	} else {
		json(res, 200, { message: 'Workflow was started' });
	}
}

function json(res: ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
	res.end(text);
}
