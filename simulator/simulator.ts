/**
 * Why this file is long: the simulator's HTTP front, one class: every Meta route with its
 * fault injection and the inspection methods tests call; its rules live in the modules it imports.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { resolveConfig, type SimulatorConfig, type SimulatorOptions } from './config';
import { PairRateWindow, seededRandom, ThroughputBucket } from './limits';
import { metaError, type SimError } from './meta-errors';
import type { CitizenIdentity, CitizenMessage, ServerStatusValue } from './payloads';
import { acceptedResponse, decideSend } from './send-message';
import { SimulatorState, type AcceptedMessage, type Counters, type WebhookDelivery } from './state';
import { handleAdmin } from './admin-routes';
import { graphVersionVerdict } from './graph-versions';
import { listTemplates } from './template-list';
import { WebhookSender, type CitizenSend, type DeliveryOptions } from './webhooks';

const MESSAGES_PATH = /^\/(v\d+\.\d+)\/([^/]+)\/messages$/;
const NODE_PATH = /^\/(v\d+\.\d+)\/([^/]+)$/;
const SUBSCRIPTIONS_PATH = /^\/(v\d+\.\d+)\/([^/]+)\/subscriptions$/;
const TEMPLATES_PATH = /^\/(v\d+\.\d+)\/([^/]+)\/message_templates$/;

/** A WhatsApp Cloud API stand-in: a real HTTP server on loopback. */
export class Simulator {
	config: SimulatorConfig;
	readonly state = new SimulatorState();
	readonly webhooks: WebhookSender;
	readonly subscriptions: Array<{
		object: string;
		callbackUrl: string;
		verifyToken: string;
		fields: string;
	}> = [];
	private readonly bucket: ThroughputBucket;
	private readonly pairRate: PairRateWindow;
	private random: () => number;
	private readonly held = new Set<ServerResponse>();
	private readonly sockets = new Set<Socket>();
	private readonly timers = new Set<NodeJS.Timeout>();
	private server?: Server;
	readonly now: () => number;
	port = 0;

	constructor(options: SimulatorOptions = {}) {
		this.config = resolveConfig(options);
		this.now = options.now ?? Date.now;
		this.bucket = new ThroughputBucket(this.config.rate, this.config.burst, this.now());
		this.pairRate = new PairRateWindow(this.config.pairRate);
		this.random = seededRandom(this.config.seed);
		this.webhooks = new WebhookSender(() => this.config, this.state, this.now);
	}

	get baseUrl(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	async listen(port = 0, host = '127.0.0.1'): Promise<this> {
		const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => this.handle(req, res));
		server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, host, () => resolve());
		});
		this.server = server;
		this.port = (server.address() as AddressInfo).port;
		return this;
	}

	async stop(): Promise<void> {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		for (const socket of this.sockets) socket.destroy();
		this.held.clear();
		const server = this.server;
		this.server = undefined;
		if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
	}

	/** Changes settings at run time (faults, rate, statuses, callback URL, templates…). */
	configure(options: SimulatorOptions): void {
		this.config = resolveConfig(options, this.config);
		this.bucket.reconfigure(this.config.rate, this.config.burst);
		this.pairRate.reconfigure(this.config.pairRate);
		if (options.seed !== undefined) this.random = seededRandom(options.seed);
	}

	reset(): void {
		this.state.reset();
		this.pairRate.clear();
	}

	// ---- inspection ----
	messagesTo(to: string): AcceptedMessage[] {
		return this.state.byRecipient.get(to.replace(/^\+/, '')) ?? [];
	}
	accepted(): AcceptedMessage[] {
		return this.state.accepted();
	}
	counters(): Counters {
		return structuredClone(this.state.counters);
	}
	deliveries(): WebhookDelivery[] {
		return [...this.state.deliveries];
	}

	// ---- simulated citizens ----
	async citizenSends(
		citizen: CitizenIdentity,
		message: CitizenMessage,
		options: DeliveryOptions = {},
	): Promise<string> {
		const [id] = await this.webhooks.citizensSend([{ citizen, message }], options);
		return id;
	}
	async citizensSend(sends: CitizenSend[], options: DeliveryOptions = {}): Promise<string[]> {
		return this.webhooks.citizensSend(sends, options);
	}
	async citizenPreference(citizen: CitizenIdentity, value: 'stop' | 'resume'): Promise<void> {
		await this.webhooks.preference(citizen, value);
	}
	async emitStatus(
		wamid: string,
		status: ServerStatusValue,
		options: { errorCode?: number; twice?: boolean } = {},
	): Promise<void> {
		const message = this.state.byWamid.get(wamid);
		if (!message) throw new Error(`The simulator accepted no message ${wamid}`);
		await this.webhooks.statuses([{ message, status, errorCode: options.errorCode }], options);
	}

	// ---- HTTP ----
	private handle(req: IncomingMessage, res: ServerResponse): void {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			this.route(req, res, raw).catch((error: unknown) => {
				if (!res.headersSent) this.json(res, 500, { error: { message: String(error) } });
			});
		});
	}

	private async route(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://simulator');
		if (url.pathname.startsWith('/_sim/'))
			return handleAdmin(this, url, req.method ?? 'GET', raw, res);
		const version = /^\/([^/]+)\//.exec(url.pathname)?.[1] ?? '';
		if (graphVersionVerdict(version) === 'unknown') {
			const refused = metaError(100, `Unknown Graph API version ${version}`);
			return this.json(res, refused.httpStatus, refused.body);
		}
		const messages = MESSAGES_PATH.exec(url.pathname);
		if (messages && req.method === 'POST') return this.sendMessage(req, res, messages[2], raw);
		const subscriptions = SUBSCRIPTIONS_PATH.exec(url.pathname);
		if (subscriptions) return this.appSubscriptions(req, res, subscriptions[2], raw);
		const templates = TEMPLATES_PATH.exec(url.pathname);
		if (templates && req.method === 'GET')
			return this.messageTemplates(req, res, templates[2], url);
		const node = NODE_PATH.exec(url.pathname);
		if (node && req.method === 'GET') return this.phoneNumberInfo(req, res, node[2]);
		this.json(res, 404, metaError(100, `Unknown path ${url.pathname}`).body);
	}

	private authorised(req: IncomingMessage): boolean {
		return req.headers.authorization === `Bearer ${this.config.accessToken}`;
	}

	private async sendMessage(
		req: IncomingMessage,
		res: ServerResponse,
		phoneNumberId: string,
		raw: string,
	): Promise<void> {
		this.state.counters.requests += 1;
		const decided = this.preflight(req, phoneNumberId, raw);
		if (decided.kind === 'error') return this.answerError(res, decided.error, this.latency());
		const faults = this.config.faults;
		if (faults.timeoutShare && this.random() < faults.timeoutShare) {
			this.state.counters.timeouts += 1;
			return this.hold(res, faults.holdMs);
		}
		if (faults.serverErrorShare && this.random() < faults.serverErrorShare) {
			this.state.counters.serverErrors += 1;
			return this.answerError(
				res,
				{ ...metaError(2, 'Service temporarily unavailable'), httpStatus: 500 },
				this.latency(),
			);
		}
		if (faults.throttleBursts) {
			const { period, length } = faults.throttleBursts;
			if ((this.state.counters.requests - 1) % period < length) {
				return this.answerError(
					res,
					metaError(130429, 'Injected throughput burst'),
					this.latency(),
				);
			}
		}
		const outcome = decideSend(decided.body, {
			config: this.config,
			state: this.state,
			bucket: this.bucket,
			pairRate: this.pairRate,
			now: this.now(),
		});
		if (outcome.kind === 'error') return this.answerError(res, outcome.error, this.latency());
		this.state.record(outcome.message);
		this.scheduleStatuses(outcome.message);
		if (faults.crashAfterAcceptShare && this.random() < faults.crashAfterAcceptShare) {
			this.state.counters.crashes += 1;
			res.socket?.destroy();
			return;
		}
		this.delay(this.latency(), () => this.json(res, 200, acceptedResponse(outcome.message)));
	}

	private preflight(
		req: IncomingMessage,
		phoneNumberId: string,
		raw: string,
	): { kind: 'ok'; body: unknown } | { kind: 'error'; error: SimError } {
		if (!this.authorised(req))
			return { kind: 'error', error: metaError(190, 'Invalid OAuth access token') };
		if (phoneNumberId !== this.config.phoneNumberId) {
			return {
				kind: 'error',
				error: metaError(
					100,
					`Unsupported post request. Object with ID '${phoneNumberId}' does not exist`,
				),
			};
		}
		try {
			return { kind: 'ok', body: JSON.parse(raw) };
		} catch {
			return { kind: 'error', error: metaError(100, 'The request body is not valid JSON') };
		}
	}

	private phoneNumberInfo(req: IncomingMessage, res: ServerResponse, id: string): void {
		if (!this.authorised(req))
			return this.answerError(res, metaError(190, 'Invalid OAuth access token'), 0);
		if (id !== this.config.phoneNumberId)
			return this.answerError(res, metaError(100, `Object with ID '${id}' does not exist`), 0);
		this.json(res, 200, {
			id,
			display_phone_number: this.config.displayPhoneNumber,
			verified_name: this.config.verifiedName,
			quality_rating: 'GREEN',
		});
	}

	private messageTemplates(
		req: IncomingMessage,
		res: ServerResponse,
		wabaId: string,
		url: URL,
	): void {
		if (!this.authorised(req))
			return this.answerError(res, metaError(190, 'Invalid OAuth access token'), 0);
		if (wabaId !== this.config.wabaId)
			return this.answerError(res, metaError(100, `Object with ID '${wabaId}' does not exist`), 0);
		this.json(res, 200, listTemplates(this.config.templates, url.searchParams.get('name')));
	}

	private appSubscriptions(
		req: IncomingMessage,
		res: ServerResponse,
		appId: string,
		raw: string,
	): void {
		if (appId !== this.config.appId)
			return this.answerError(res, metaError(100, `Object with ID '${appId}' does not exist`), 0);
		if (req.method === 'GET') {
			return this.json(res, 200, {
				data: this.subscriptions.map((s) => ({
					object: s.object,
					callback_url: s.callbackUrl,
					active: true,
					fields: [{ name: s.fields }],
				})),
			});
		}
		const form = new URLSearchParams(raw);
		const body = raw.trim().startsWith('{')
			? (JSON.parse(raw) as Record<string, string>)
			: Object.fromEntries(form);
		this.subscriptions.push({
			object: body.object ?? 'whatsapp_business_account',
			callbackUrl: body.callback_url ?? '',
			verifyToken: body.verify_token ?? '',
			fields: body.fields ?? 'messages',
		});
		this.json(res, 200, { success: true });
	}

	private scheduleStatuses(message: AcceptedMessage): void {
		const { auto, sequence, delayMs, outOfOrder, duplicate } = this.config.statuses;
		if (!auto || !this.config.callbackUrl) return;
		const order = outOfOrder ? [...sequence].reverse() : sequence;
		this.delay(delayMs, () => {
			void (async () => {
				for (const status of order)
					await this.webhooks.statuses([{ message, status }], { twice: duplicate });
			})();
		});
	}

	private latency(): number {
		const latency = this.config.faults.latencyMs;
		if (latency === undefined) return 0;
		if (typeof latency === 'number') return latency;
		return latency.min + this.random() * (latency.max - latency.min);
	}

	/** Never answers and never accepts; closes the connection after `ms` when given. */
	private hold(res: ServerResponse, ms: number | undefined): void {
		this.held.add(res);
		res.on('close', () => this.held.delete(res));
		if (ms !== undefined) this.delay(ms, () => res.socket?.destroy());
	}

	private answerError(res: ServerResponse, error: SimError, delayMs: number): void {
		this.state.countError(error.body.error.code);
		this.delay(delayMs, () => this.json(res, error.httpStatus, error.body));
	}

	private delay(ms: number, fn: () => void): void {
		if (ms <= 0) return fn();
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			fn();
		}, ms);
		this.timers.add(timer);
	}

	json(res: ServerResponse, status: number, body: unknown): void {
		if (res.destroyed) return;
		const text = JSON.stringify(body);
		res.writeHead(status, {
			'content-type': 'application/json',
			'content-length': Buffer.byteLength(text),
		});
		res.end(text);
	}
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
	return new Simulator(options).listen(options.port ?? 0, options.host ?? '127.0.0.1');
}
