import type { ServerResponse } from 'node:http';

import type { SimulatorOptions } from './config';
import type { CitizenIdentity, CitizenMessage, ServerStatusValue } from './payloads';
import type { Simulator } from './simulator';
import type { DeliveryOptions } from './webhooks';

interface CitizenRequest extends CitizenIdentity {
	message?: CitizenMessage;
	text?: string;
	options?: DeliveryOptions;
}

/** `/_sim/*`: inspection and control over HTTP, for the shell, the sandbox and other processes. */
export async function handleAdmin(
	sim: Simulator,
	url: URL,
	method: string,
	raw: string,
	res: ServerResponse,
): Promise<void> {
	const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
	const route = `${method} ${url.pathname}`;
	switch (route) {
		case 'GET /_sim/messages': {
			const to = url.searchParams.get('to');
			return sim.json(res, 200, { messages: to ? sim.messagesTo(to) : sim.accepted() });
		}
		case 'GET /_sim/counters':
			return sim.json(res, 200, sim.counters());
		case 'GET /_sim/arrivals':
			// When each accepted message arrived (ms), in order, without numbers: benchmarks measure
			// the busiest second from another process.
			return sim.json(res, 200, { at: sim.accepted().map((message) => message.at) });
		case 'GET /_sim/deliveries':
			return sim.json(res, 200, { deliveries: sim.deliveries() });
		case 'POST /_sim/reset':
			sim.reset();
			return sim.json(res, 200, { ok: true });
		case 'POST /_sim/configure':
			sim.configure(body as SimulatorOptions);
			return sim.json(res, 200, { ok: true });
		case 'POST /_sim/citizen': {
			const request = body as CitizenRequest;
			const message = request.message ?? { text: request.text ?? '' };
			const id = await sim.citizenSends(request, message, request.options);
			return sim.json(res, 200, { messageId: id, delivery: sim.deliveries().at(-1) });
		}
		case 'POST /_sim/status': {
			const { wamid, status, errorCode } = body as {
				wamid: string;
				status: ServerStatusValue;
				errorCode?: number;
			};
			await sim.emitStatus(wamid, status, { errorCode });
			return sim.json(res, 200, { ok: true });
		}
		default:
			return sim.json(res, 404, { error: `unknown simulator route ${route}` });
	}
}
