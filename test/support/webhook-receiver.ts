import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';

import { closeServer, listenOnLoopback, readBody } from './loopback';

export interface ReceivedWebhook {
	rawBody: string;
	signature: string | undefined;
	/** A standard HMAC-SHA256 check of the raw bytes, as any receiver should do it. */
	validSignature: boolean;
	parsed: unknown;
}

/** A plain HTTP receiver for webhooks, independent of our trigger code: it checks signatures the textbook way. */
export class WebhookReceiver {
	readonly received: ReceivedWebhook[] = [];
	private server?: Server;
	private onReceive?: () => void;
	url = '';

	constructor(private readonly appSecret: string) {}

	async start(): Promise<this> {
		this.server = createServer((req, res) => {
			void readBody(req).then((raw) => {
				const signature = req.headers['x-hub-signature-256'] as string | undefined;
				const valid = checkSignature(raw, signature, this.appSecret);
				this.received.push({
					rawBody: raw.toString('utf8'),
					signature,
					validSignature: valid,
					parsed: JSON.parse(raw.toString('utf8')),
				});
				this.onReceive?.();
				res.writeHead(valid ? 200 : 401).end();
			});
		});
		this.url = `http://127.0.0.1:${await listenOnLoopback(this.server)}/hook`;
		return this;
	}

	/** Resolves once `count` webhooks have arrived: an event to wait for, not a deadline. */
	async receivedCount(count: number): Promise<void> {
		while (this.received.length < count)
			await new Promise<void>((resolve) => (this.onReceive = resolve));
		this.onReceive = undefined;
	}

	async stop(): Promise<void> {
		await closeServer(this.server);
	}
}

export function checkSignature(raw: Buffer, header: string | undefined, secret: string): boolean {
	if (!header?.startsWith('sha256=')) return false;
	const expected = createHmac('sha256', secret).update(raw).digest();
	const given = Buffer.from(header.slice('sha256='.length), 'hex');
	return given.length === expected.length && timingSafeEqual(given, expected);
}
