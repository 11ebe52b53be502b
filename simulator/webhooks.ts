import type { SimulatorConfig } from './config';
import {
	buildContact,
	buildEnvelope,
	buildInboundMessage,
	buildMessagesChange,
	buildUserPreferencesChange,
	serializeLikeMeta,
	signBody,
	type CitizenIdentity,
	type CitizenMessage,
	type ServerChange,
	type ServerError,
	type ServerStatus,
	type ServerStatusValue,
} from './payloads';
import { errorTitle } from './meta-errors';
import { makeWamid } from './wamid';
import type { AcceptedMessage, SimulatorState, WebhookDelivery } from './state';

export interface CitizenSend {
	citizen: CitizenIdentity;
	message: CitizenMessage;
}

export interface DeliveryOptions {
	/** Meta retries: deliver the same signed body twice. */
	twice?: boolean;
	/** How several items are packed: one entry each, one change each in one entry, or one change. */
	layout?: 'entries' | 'changes' | 'single';
}

/** Builds Meta's envelopes for the simulator and POSTs them, signed, to the callback URL. */
export class WebhookSender {
	constructor(
		private readonly config: () => SimulatorConfig,
		private readonly state: SimulatorState,
		private readonly now: () => number,
	) {}

	private metadata() {
		const c = this.config();
		return { display_phone_number: c.displayPhoneNumber, phone_number_id: c.phoneNumberId };
	}

	private pack(changes: ServerChange[], layout: DeliveryOptions['layout']): string {
		const c = this.config();
		const perEntry = layout === 'entries' ? changes.map((ch) => [ch]) : [changes];
		return serializeLikeMeta(buildEnvelope(c.wabaId, perEntry));
	}

	/** Citizens send messages; returns their message IDs (wamids) in order. */
	async citizensSend(sends: CitizenSend[], options: DeliveryOptions = {}): Promise<string[]> {
		const at = this.now();
		const seconds = Math.floor(at / 1000);
		const ids: string[] = [];
		const changes: ServerChange[] = [];
		for (const { citizen, message } of sends) {
			this.state.inboundCounter += 1;
			const id = makeWamid(
				citizen.from ?? citizen.userId ?? '',
				0x800000 + this.state.inboundCounter,
			);
			ids.push(id);
			if (citizen.from) this.state.lastInbound.set(citizen.from, at);
			changes.push(
				buildMessagesChange(this.metadata(), {
					contacts: [buildContact(citizen)],
					messages: [buildInboundMessage(id, citizen, message, seconds)],
				}),
			);
		}
		const packed =
			options.layout === 'single'
				? [this.pack([mergeChanges(changes)], 'changes')]
				: [this.pack(changes, options.layout ?? 'entries')];
		for (const body of packed) await this.post('message', body, options.twice);
		return ids;
	}

	async preference(citizen: CitizenIdentity, value: 'stop' | 'resume'): Promise<void> {
		const change = buildUserPreferencesChange(this.metadata(), [
			{
				...(citizen.from ? { wa_id: citizen.from } : {}),
				...(citizen.userId ? { user_id: citizen.userId } : {}),
				category: 'marketing_messages',
				value,
				detail:
					value === 'stop'
						? 'User requested to stop marketing messages'
						: 'User resumed marketing messages',
				timestamp: Math.floor(this.now() / 1000),
			},
		]);
		await this.post('preference', this.pack([change], 'changes'));
	}

	async statuses(
		items: Array<{ message: AcceptedMessage; status: ServerStatusValue; errorCode?: number }>,
		options: { twice?: boolean } = {},
	): Promise<void> {
		const statuses = items.map(({ message, status, errorCode }) =>
			buildStatus(message, status, this.now(), errorCode),
		);
		for (const item of items)
			this.state.statusesSent.push({ wamid: item.message.wamid, status: item.status });
		const change = buildMessagesChange(this.metadata(), { statuses });
		await this.post('status', this.pack([change], 'changes'), options.twice);
	}

	/** Posts an arbitrary body, signed with the given secret (default: the app secret) or a given header. */
	async raw(body: string, signature?: string | null): Promise<WebhookDelivery> {
		const header = signature === undefined ? signBody(body, this.config().appSecret) : signature;
		return this.deliver('raw', body, header);
	}

	private async post(kind: WebhookDelivery['kind'], body: string, twice = false): Promise<void> {
		const signature = signBody(body, this.config().appSecret);
		await this.deliver(kind, body, signature);
		if (twice) await this.deliver(kind, body, signature);
	}

	private async deliver(
		kind: WebhookDelivery['kind'],
		body: string,
		signature: string | null,
	): Promise<WebhookDelivery> {
		const url = this.config().callbackUrl;
		if (!url) throw new Error('The simulator has no callback URL: configure `callbackUrl` first');
		const headers: Record<string, string> = { 'content-type': 'application/json' };
		if (signature !== null) headers['x-hub-signature-256'] = signature;
		let status: WebhookDelivery['status'];
		try {
			const response = await fetch(url, {
				method: 'POST',
				headers,
				body,
				signal: AbortSignal.timeout(30_000),
			});
			await response.arrayBuffer();
			status = response.status;
		} catch {
			status = 'network-error';
		}
		const delivery: WebhookDelivery = { kind, status, body, at: this.now() };
		this.state.deliveries.push(delivery);
		this.state.counters.webhooks += 1;
		return delivery;
	}
}

function mergeChanges(changes: ServerChange[]): ServerChange {
	const [first, ...rest] = changes;
	const value = first.value as { contacts?: unknown[]; messages?: unknown[] };
	for (const change of rest) {
		const other = change.value as { contacts?: unknown[]; messages?: unknown[] };
		value.contacts = [...(value.contacts ?? []), ...(other.contacts ?? [])];
		value.messages = [...(value.messages ?? []), ...(other.messages ?? [])];
	}
	return first;
}

function buildStatus(
	message: AcceptedMessage,
	status: ServerStatusValue,
	now: number,
	errorCode?: number,
): ServerStatus {
	const result: ServerStatus = {
		id: message.wamid,
		status,
		timestamp: String(Math.floor(now / 1000)),
		recipient_id: message.to,
	};
	if (message.bizOpaqueCallbackData)
		result.biz_opaque_callback_data = message.bizOpaqueCallbackData;
	if (status === 'failed') {
		const code = errorCode ?? 131026;
		const error: ServerError = {
			code,
			title: errorTitle(code),
			message: errorTitle(code),
			error_data: { details: 'Simulated failure' },
		};
		result.errors = [error];
	} else {
		result.pricing = {
			billable: true,
			pricing_model: 'PMP',
			type: 'regular',
			category: message.type === 'template' ? 'marketing' : 'service',
		};
	}
	return result;
}
