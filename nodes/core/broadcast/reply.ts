import { InputError, SendError } from '../errors';
import { DEFAULT_LANGUAGE } from '../language';
import type { PrivacyKeys } from '../privacy/keys';
import { isSealedSender, openSender } from '../privacy/sealer';
import type { ConsentStore, Recipient } from '../store/types';
import { retryDelay } from './backoff';
import { isUnreachable, OUTSIDE_REPLY_WINDOW, type Channel } from './channel';
import { resolveSendOptions, type SendOptions } from './options';

export type ReplyStore = Pick<ConsentStore, 'findByIdentity' | 'recipientByPseudonym'>;

export interface ReplyRequest {
	/** A pseudonym (`Gast_0042`) or the trigger's sealed `sender` token; never a phone number. */
	recipient: string;
	text: string;
}

/** What a reply did, by pseudonym only: the number stays inside this function. */
export interface ReplyResult {
	recipient: string;
	sent: true;
	status: 'accepted';
}

/**
 * The broadcast engine's retry settings; a reply goes to one person, so paging does not apply.
 * `budget`: the number's share kept for replies (queue.ts `replyBudget`), taken before each try.
 */
export type ReplyOptions = Pick<
	SendOptions,
	'maxAttempts' | 'backoff' | 'policy' | 'signal' | 'clock' | 'random'
> & { budget?: { take(signal?: AbortSignal): Promise<void> } };

/**
 * Sends free text to one person inside WhatsApp's 24-hour window (Start/Stop confirmations,
 * answers from staff). The recipient is opened or looked up here, so the number never reaches the
 * caller; Meta's errors are classified as for a broadcast: temporary ones and throttling are
 * retried with the same backoff, everything else is reported at once.
 */
export async function sendReply<Message>(
	store: ReplyStore,
	keys: PrivacyKeys,
	channel: Channel<Message>,
	request: ReplyRequest,
	options: ReplyOptions = {},
): Promise<ReplyResult> {
	const value = String(request.recipient ?? '').trim();
	if (!value)
		throw new InputError("The recipient is empty: map the trigger's `sender` or a pseudonym");
	const recipient = await resolveRecipient(store, keys, value);
	const message = channel.prepare({ mode: 'text', text: request.text }).address(recipient);
	if (isUnreachable(message))
		throw new InputError(
			`${recipient.pseudonym} can only be reached by user ID, which replies do not support yet`,
		);
	const { maxAttempts, backoff, policy, signal, clock, random } = resolveSendOptions(options);
	for (let attempt = 1; ; attempt++) {
		await options.budget?.take(signal);
		const outcome = await channel.send(message);
		if (outcome.kind === 'accepted')
			return { recipient: recipient.pseudonym, sent: true, status: 'accepted' };
		if (outcome.kind === 'definite' && outcome.reason === OUTSIDE_REPLY_WINDOW)
			throw new InputError(
				`The 24-hour window for ${recipient.pseudonym} has closed: free text is delivered only within 24 hours after their last message. Send an approved template instead.`,
			);
		if (outcome.kind === 'definite' || outcome.kind === 'abort')
			throw new SendError(outcome.message);
		// It may have been accepted: at most once means it is not sent again.
		if (outcome.kind === 'retryable' && !outcome.certain && policy === 'at-most-once')
			throw new SendError(outcome.message);
		if (attempt >= maxAttempts)
			throw new SendError(`${outcome.message}. Gave up after ${attempt} attempts`);
		await clock.sleep(retryDelay(outcome, attempt, backoff, random), signal);
	}
}

/**
 * Digits with the separators people type between them: `(0151) 2345678`, `+49 151/234-56 78`,
 * `040 123 456`. Such a value is refused as a number, never looked up as a pseudonym.
 */
const PHONE_SHAPED = /^[\s\d()+\-\u2010-\u2015/.]+$/;
const MIN_PHONE_DIGITS = 6;

/**
 * A sealed sender is opened; anything else must be a stored pseudonym. No message repeats the
 * value: what staff typed into the field may be a phone number in any notation.
 */
async function resolveRecipient(
	store: ReplyStore,
	keys: PrivacyKeys,
	value: string,
): Promise<Recipient> {
	const digits = value.replace(/\D/g, '').length;
	if (isSealedSender(value)) {
		const identity = openSender(keys, value);
		const subscriber = await store.findByIdentity(identity);
		return {
			subscriberId: subscriber?.id ?? 0,
			pseudonym: subscriber?.pseudonym ?? 'sender',
			language: subscriber?.language ?? DEFAULT_LANGUAGE,
			...identity,
		};
	}
	if (PHONE_SHAPED.test(value) && digits >= MIN_PHONE_DIGITS)
		throw new InputError(
			"The recipient looks like a phone number: pass a pseudonym (e.g. Gast_0001) or the trigger's sealed `sender` token instead",
		);
	const recipient = await store.recipientByPseudonym(value);
	if (!recipient)
		throw new InputError(
			"The recipient is not a known pseudonym: no subscriber has it (they may have unsubscribed). Pass a pseudonym such as Gast_0001 or the trigger's sealed `sender` token.",
		);
	return recipient;
}
