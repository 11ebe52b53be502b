import type { Language } from '../language';
import type { Recipient } from '../store/types';
import type { MessageSpec } from './message-spec';

/**
 * The port the engine sends through. A channel (WhatsApp's Cloud API today: channels/whatsapp)
 * renders a message, addresses it to a recipient's identity and reports each send's outcome in
 * the engine's terms; its wire types and error codes stay behind it.
 */
export interface Channel<Message = unknown, Preview = unknown>
	extends MessageRenderer<Message, Preview> {
	send(message: Message): Promise<SendOutcome>;
}

/** The half of a channel that needs no connection: a dry run renders without one. */
export interface MessageRenderer<Message = unknown, Preview = unknown> {
	/**
	 * Checks and renders the message once per broadcast; throws InputError naming the setting to
	 * fix. `reference` travels with every send and comes back with its status updates.
	 */
	prepare(spec: MessageSpec, reference?: string): PreparedMessage<Message, Preview>;
}

export interface PreparedMessage<Message, Preview> {
	/** The message for one recipient, or why this channel cannot reach them (counted, not sent). */
	address(recipient: Recipient): Message | Unreachable;
	/** The message as a recipient of this language gets it, without their address (dry run). */
	preview(language: Language): Preview;
}

export interface Unreachable {
	/** A short, stable reason for the summary (`no_phone_number`). */
	readonly unreachable: string;
}

/**
 * The reason a channel gives for a free-text message outside the window in which the recipient
 * accepts one (WhatsApp: 24 hours after their last message); a reply explains it to staff.
 */
export const OUTSIDE_REPLY_WINDOW = 'outside_24h_window';

export function isUnreachable(value: unknown): value is Unreachable {
	return typeof value === 'object' && value !== null && 'unreachable' in value;
}

/**
 * What became of one send. `message` texts are written for staff and never hold a number or an
 * address; `reason` names are short and stable, for the summary's counts.
 */
export type SendOutcome =
	/** The channel took the message; `messageId` ties later status updates to it. */
	| { kind: 'accepted'; messageId: string }
	/** This recipient cannot get it (blocked, opted out, …): recorded as failed with the channel's code. */
	| { kind: 'definite'; reason: string; code: number; message: string }
	/**
	 * Not taken this time; worth another try after a backoff. `answered`: the channel answered at
	 * all (a run of unanswered tries means it is unreachable). `certain`: the message certainly
	 * was not taken (else it may have been, and a retry may duplicate it). `pace: 'recipient'`:
	 * this recipient gets messages too fast, so only this send waits, and longer.
	 */
	| {
			kind: 'retryable';
			message: string;
			answered: boolean;
			certain: boolean;
			pace?: 'recipient';
	  }
	/** The whole sender is over the channel's rate: everyone backs off, then this send is retried. */
	| { kind: 'paused'; message: string }
	/** Every further send would fail the same way: the broadcast stops. */
	| { kind: 'abort'; message: string };

export type RetryOutcome = Extract<SendOutcome, { kind: 'retryable' | 'paused' }>;
