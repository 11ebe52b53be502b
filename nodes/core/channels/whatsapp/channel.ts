import type {
	Channel,
	MessageRenderer,
	PreparedMessage,
	SendOutcome,
	Unreachable,
} from '../../broadcast/channel';
import type { MessageSpec } from '../../broadcast/message-spec';
import { SKIP_REASONS } from './classify';
import type { MessageSender, SendResult } from './client';
import { prepareMessage } from './message';
import type { ClientMessage, ClientUnaddressedMessage } from './wire-types';

/** The Cloud API send used here addresses a phone number; a user reachable only by user ID waits. */
const NO_PHONE_NUMBER: Unreachable = { unreachable: 'no_phone_number' };

/** Renders announcements as Cloud API messages; needs no connection (a dry run uses it alone). */
export const whatsAppMessages: MessageRenderer<ClientMessage, ClientUnaddressedMessage> = {
	prepare(
		spec: MessageSpec,
		reference?: string,
	): PreparedMessage<ClientMessage, ClientUnaddressedMessage> {
		const address = prepareMessage(spec, reference);
		return {
			address: (recipient) => (recipient.phone ? address(recipient) : NO_PHONE_NUMBER),
			preview: (language) => {
				// A placeholder address, dropped again: the preview names nobody.
				const { to, ...message } = address({
					subscriberId: 0,
					pseudonym: 'preview',
					language,
					phone: '0',
				});
				void to;
				return message;
			},
		};
	},
};

/** The WhatsApp Cloud API behind the engine's channel port. */
export class WhatsAppChannel implements Channel<ClientMessage, ClientUnaddressedMessage> {
	readonly prepare = whatsAppMessages.prepare;

	constructor(private readonly sender: MessageSender) {}

	async send(message: ClientMessage): Promise<SendOutcome> {
		return outcomeOf(await this.sender.send(message));
	}
}

/** Meta's answer in the engine's terms (see the retry classes in errors.ts and classify.ts). */
export function outcomeOf(result: SendResult): SendOutcome {
	if (result.ok) return { kind: 'accepted', messageId: result.messageId };
	const { message, code, httpStatus, certain, retryClass } = result.error;
	switch (retryClass) {
		case 'skip':
			return {
				kind: 'definite',
				reason: SKIP_REASONS[code ?? 0] ?? `error_${code}`,
				code: code ?? 0,
				message,
			};
		case 'abort':
			return { kind: 'abort', message };
		case 'throttle':
			return { kind: 'paused', message };
		case 'pair-rate':
		case 'retry':
			return {
				kind: 'retryable',
				message,
				answered: httpStatus !== undefined,
				certain,
				...(retryClass === 'pair-rate' ? { pace: 'recipient' as const } : {}),
			};
	}
}
