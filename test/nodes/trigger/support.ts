import { createServer, type Server } from 'node:http';

import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { WhatsAppBroadcastTrigger } from '../../../nodes/WhatsAppBroadcastTrigger/WhatsAppBroadcastTrigger.node';
import { WebhookRunner, type WebhookOutcome } from '../../harness';
import { closeServer, listenOnLoopback, readBody } from '../../support/loopback';
import { tempSqlite } from '../../support/temp-store';

export const APP_SECRET = 'sim-app-secret';
export const VERIFY_TOKEN = 'rathaus-verify-token';
export const TYPE_NAME = 'n8n-nodes-civic-broadcast.whatsAppBroadcastTrigger';

export interface TriggerSetup {
	runner: WebhookRunner;
	dispose(): Promise<void>;
}

/** The trigger node in a webhook runner with real credentials: a consent store of its own unless given. */
export function triggerRunner(
	options: {
		baseUrl?: string;
		parameters?: INodeParameters;
		staticData?: IDataObject;
		/** Another consent store credential (e.g. PostgreSQL); default a temporary SQLite store. */
		consentStore?: IDataObject;
	} = {},
): TriggerSetup {
	const db = options.consentStore ? undefined : tempSqlite();
	const runner = new WebhookRunner({
		nodeType: new WhatsAppBroadcastTrigger(),
		typeName: TYPE_NAME,
		parameters: options.parameters ?? { options: {} },
		staticData: options.staticData,
		credentials: {
			whatsAppBroadcastApi: {
				accessToken: 'sim-access-token',
				phoneNumberId: '100000000000001',
				wabaId: '200000000000002',
				appSecret: APP_SECRET,
				verifyToken: VERIFY_TOKEN,
				graphApiVersion: 'v24.0',
				baseUrl: options.baseUrl ?? 'http://127.0.0.1:9',
			},
			consentStoreDb: (options.consentStore ?? db?.credential) as ICredentialDataDecryptedObject,
		},
	});
	return {
		runner,
		async dispose() {
			await runner.close();
			await db?.dispose();
		},
	};
}

/**
 * The public side of the trigger for the simulator: a plain HTTP server that hands the raw bytes
 * and headers to the runner and answers with whatever the node answered.
 */
export class TriggerEndpoint {
	readonly outcomes: WebhookOutcome[] = [];
	url = '';
	private server?: Server;

	constructor(private readonly runner: WebhookRunner) {}

	async start(): Promise<this> {
		this.server = createServer((req, res) => {
			void readBody(req).then((body) => {
				const headers: Record<string, string> = {};
				for (const [name, value] of Object.entries(req.headers)) {
					if (
						typeof value === 'string' &&
						!['host', 'content-length', 'connection'].includes(name)
					) {
						headers[name] = value;
					}
				}
				void this.runner.call({ method: req.method as 'POST', headers, body }).then((outcome) => {
					this.outcomes.push(outcome);
					res.writeHead(outcome.status, { 'content-type': outcome.contentType ?? 'text/plain' });
					res.end(outcome.body);
				});
			});
		});
		this.url = `http://127.0.0.1:${await listenOnLoopback(this.server)}/webhook/whatsapp`;
		return this;
	}

	/** All items emitted on one output across deliveries. */
	items(output: number): IDataObject[] {
		return this.outcomes.flatMap((outcome) => outcome.output(output));
	}

	async stop(): Promise<void> {
		await closeServer(this.server);
	}
}
