import type { ServerStatusValue } from './payloads';

/** One message Meta accepted, as the simulator recorded it. */
export interface AcceptedMessage {
	wamid: string;
	to: string;
	type: string;
	/** Rendered text (text body or filled template), when recording is `full`. */
	text?: string;
	/** The request body as sent, when recording is `full`. */
	request?: unknown;
	templateName?: string;
	bizOpaqueCallbackData?: string;
	at: number;
}

export interface WebhookDelivery {
	kind: 'message' | 'status' | 'preference' | 'raw';
	status: number | 'network-error';
	body: string;
	at: number;
}

export interface Counters {
	requests: number;
	accepted: number;
	/** Error answers by Meta code (`130429`, `131047`, …). */
	errors: Record<string, number>;
	serverErrors: number;
	timeouts: number;
	crashes: number;
	webhooks: number;
}

/** Everything the simulator remembers; `reset()` starts afresh. */
export class SimulatorState {
	readonly byRecipient = new Map<string, AcceptedMessage[]>();
	readonly byWamid = new Map<string, AcceptedMessage>();
	readonly lastInbound = new Map<string, number>();
	readonly deliveries: WebhookDelivery[] = [];
	readonly statusesSent: Array<{ wamid: string; status: ServerStatusValue }> = [];
	counters: Counters = emptyCounters();
	wamidCounter = 0;
	inboundCounter = 0;

	record(message: AcceptedMessage): void {
		const list = this.byRecipient.get(message.to);
		if (list) list.push(message);
		else this.byRecipient.set(message.to, [message]);
		this.byWamid.set(message.wamid, message);
		this.counters.accepted += 1;
	}

	countError(code: number): void {
		const key = String(code);
		this.counters.errors[key] = (this.counters.errors[key] ?? 0) + 1;
	}

	accepted(): AcceptedMessage[] {
		return [...this.byWamid.values()];
	}

	reset(): void {
		this.byRecipient.clear();
		this.byWamid.clear();
		this.lastInbound.clear();
		this.deliveries.length = 0;
		this.statusesSent.length = 0;
		this.counters = emptyCounters();
	}
}

function emptyCounters(): Counters {
	return {
		requests: 0,
		accepted: 0,
		errors: {},
		serverErrors: 0,
		timeouts: 0,
		crashes: 0,
		webhooks: 0,
	};
}
