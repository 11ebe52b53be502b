import { CloudApiError, type MessageSender } from '../cloud-api';
import { InputError } from '../errors';
import type { PrivacyKeys } from '../privacy/keys';
import { isSealedSender, openSender } from '../privacy/sealer';
import type { ConsentStore, Recipient } from '../store/types';
import { backoffDelay, pairRateDelay } from './backoff';
import { prepareMessage } from './message';
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

/** The broadcast engine's retry settings; a reply goes to one person, so rate and paging do not apply. */
export type ReplyOptions = Pick<
	SendOptions,
	'maxAttempts' | 'backoff' | 'policy' | 'signal' | 'clock' | 'random'
>;

/**
 * Sends free text to one person inside WhatsApp's 24-hour window (Start/Stop confirmations,
 * answers from staff). The recipient is opened or looked up here, so the number never reaches the
 * caller; Meta's errors are classified as for a broadcast: temporary ones and throttling are
 * retried with the same backoff, everything else is reported at once.
 */
export async function sendReply(
	store: ReplyStore,
	keys: PrivacyKeys,
	api: MessageSender,
	request: ReplyRequest,
	options: ReplyOptions = {},
): Promise<ReplyResult> {
	const value = String(request.recipient ?? '').trim();
	if (!value)
		throw new InputError("The recipient is empty: map the trigger's `sender` or a pseudonym");
	const recipient = await resolveRecipient(store, keys, value);
	if (!recipient.phone)
		throw new InputError(
			`${recipient.pseudonym} can only be reached by user ID, which replies do not support yet`,
		);
	const message = prepareMessage({ mode: 'text', text: request.text })(recipient);
	const { maxAttempts, backoff, policy, signal, clock, random } = resolveSendOptions(options);
	for (let attempt = 1; ; attempt++) {
		const result = await api.send(message);
		if (result.ok) return { recipient: recipient.pseudonym, sent: true, status: 'accepted' };
		const error = result.error;
		if (error.code === 131047)
			throw new InputError(
				`The 24-hour window for ${recipient.pseudonym} has closed: free text is delivered only within 24 hours after their last message. Send an approved template instead.`,
			);
		if (error.retryClass === 'skip' || error.retryClass === 'abort') throw error;
		// It may have been accepted: at most once means it is not sent again.
		if (!error.certain && policy === 'at-most-once') throw error;
		if (attempt >= maxAttempts) throw gaveUp(error, attempt);
		const delay =
			error.retryClass === 'pair-rate'
				? pairRateDelay(attempt, backoff)
				: backoffDelay(attempt, backoff, random);
		await clock.sleep(delay, signal);
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
			language: subscriber?.language ?? 'de',
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

function gaveUp(error: CloudApiError, attempts: number): CloudApiError {
	return new CloudApiError(
		`${error.message}. Gave up after ${attempts} attempts`,
		error.httpStatus,
		error.code,
		error.retryClass,
		error.certain,
		{ cause: error },
	);
}
