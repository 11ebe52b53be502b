import type { SimulatorConfig } from './config';
import type { PairRateWindow, ThroughputBucket } from './limits';
import { metaError, type SimError } from './meta-errors';
import type { AcceptedMessage, SimulatorState } from './state';
import { validateTemplate, type ClientTemplate } from './templates';
import { makeWamid } from './wamid';

const DAY_MS = 24 * 60 * 60 * 1000;

interface ClientMessageBody {
	messaging_product?: unknown;
	to?: unknown;
	type?: unknown;
	text?: { body?: unknown };
	template?: ClientTemplate;
	biz_opaque_callback_data?: unknown;
}

export type SendDecision =
	| { kind: 'accepted'; message: AcceptedMessage }
	| { kind: 'error'; error: SimError };

export interface SendContext {
	config: SimulatorConfig;
	state: SimulatorState;
	bucket: ThroughputBucket;
	pairRate: PairRateWindow;
	now: number;
}

function validateBody(
	body: ClientMessageBody,
	config: SimulatorConfig,
): { text: string; templateName?: string } | SimError {
	if (body.messaging_product !== 'whatsapp') {
		return metaError(100, 'The parameter messaging_product is required and must be "whatsapp"');
	}
	if (typeof body.to !== 'string' || !/^\+?\d{6,15}$/.test(body.to)) {
		return metaError(100, 'Invalid parameter: to must be a phone number in international format');
	}
	if (body.type === 'template') {
		const result = validateTemplate(config.templates, body.template);
		return result.ok
			? { text: result.text, templateName: body.template?.name as string }
			: result.error;
	}
	if (body.type === 'text' || body.type === undefined) {
		const text = body.text?.body;
		if (typeof text !== 'string' || text.length === 0)
			return metaError(100, 'text.body is required');
		if (text.length > 4096) return metaError(100, 'text.body must be at most 4096 characters');
		return { text };
	}
	return metaError(131051, `message type ${String(body.type)} is not supported by the simulator`);
}

/** Decides a send like Meta would: validation, recipient faults, throughput, pair rate, 24-hour window. */
export function decideSend(raw: unknown, ctx: SendContext): SendDecision {
	const body = (raw ?? {}) as ClientMessageBody;
	const checked = validateBody(body, ctx.config);
	if ('httpStatus' in checked) return { kind: 'error', error: checked };
	const to = (body.to as string).replace(/^\+/, '');

	const forced = ctx.config.faults.recipientErrors?.[to];
	if (forced !== undefined)
		return { kind: 'error', error: metaError(forced, 'Injected for this recipient') };
	if (!ctx.bucket.tryTake(ctx.now)) {
		return {
			kind: 'error',
			error: metaError(130429, 'Cloud API message throughput has been reached'),
		};
	}
	if (!ctx.pairRate.tryTake(to, ctx.now)) {
		return {
			kind: 'error',
			error: metaError(131056, 'Too many messages to this recipient in a short time'),
		};
	}
	const isTemplate = body.type === 'template';
	const lastInbound = ctx.state.lastInbound.get(to);
	if (!isTemplate && (lastInbound === undefined || ctx.now - lastInbound > DAY_MS)) {
		return {
			kind: 'error',
			error: metaError(
				131047,
				'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
			),
		};
	}

	ctx.state.wamidCounter += 1;
	const full = ctx.config.record === 'full';
	const message: AcceptedMessage = {
		wamid: makeWamid(to, ctx.state.wamidCounter),
		to,
		type: isTemplate ? 'template' : 'text',
		at: ctx.now,
		...(full ? { text: checked.text, request: raw } : {}),
		...(checked.templateName ? { templateName: checked.templateName } : {}),
		...(typeof body.biz_opaque_callback_data === 'string'
			? { bizOpaqueCallbackData: body.biz_opaque_callback_data }
			: {}),
	};
	return { kind: 'accepted', message };
}

export function acceptedResponse(message: AcceptedMessage): unknown {
	return {
		messaging_product: 'whatsapp',
		contacts: [{ input: message.to, wa_id: message.to }],
		messages: [{ id: message.wamid, message_status: 'accepted' }],
	};
}
