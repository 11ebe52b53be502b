import { OUTSIDE_REPLY_WINDOW } from '../../broadcast/channel';
import type { RetryClass } from './errors';

const THROTTLE = new Set([130429, 4, 80007]);
const TEMPORARY = new Set([1, 2, 131000, 131016, 133004]);
const SKIP = new Set([131026, 131047, 131049, 131050, 131051, 131052]);
const ABORT = new Set([0, 190, 131048, 368, 131031, 100, 131008, 131009]);

/** Meta error code (and HTTP status when there is no code) → what the sender does about it. */
export function classifyError(code: number | undefined, httpStatus?: number): RetryClass {
	if (code !== undefined) {
		if (THROTTLE.has(code)) return 'throttle';
		if (code === 131056) return 'pair-rate';
		if (TEMPORARY.has(code)) return 'retry';
		if (SKIP.has(code)) return 'skip';
		if (ABORT.has(code) || (code >= 132000 && code < 133000)) return 'abort';
	}
	if (httpStatus === undefined || httpStatus >= 500) return 'retry';
	if (httpStatus === 429) return 'throttle';
	if (httpStatus === 401 || httpStatus === 403) return 'abort';
	// An unknown 4xx code: a bad request repeats for every recipient, so stop rather than spam errors.
	return 'abort';
}

/** Short, stable names for skip reasons in summaries (no personal data). */
export const SKIP_REASONS: Record<number, string> = {
	131026: 'undeliverable',
	131047: OUTSIDE_REPLY_WINDOW,
	131049: 'marketing_cap',
	131050: 'marketing_opt_out',
	131051: 'unsupported_message_type',
	131052: 'media_download_failed',
};

/** A clear, actionable explanation for codes that abort a broadcast. */
export function abortAdvice(code: number | undefined, httpStatus?: number): string {
	if (code === 190 || code === 0 || httpStatus === 401)
		return 'The access token was rejected: renew it in the WhatsApp Broadcast API credential';
	if (code === 131048)
		return 'Meta restricted sending because of spam reports or low quality: check the quality rating in WhatsApp Manager before sending again';
	if (code === 368 || code === 131031)
		return 'The WhatsApp business account is blocked or locked by Meta: resolve it in WhatsApp Manager';
	if (code === 132001)
		return 'The template does not exist or is not approved in this language: check the template name and language';
	if (code === 132000)
		return 'The number of template parameters does not match the template: check the body and header parameters';
	if (code === 132018)
		return 'A template parameter contains characters Meta refuses (newline, tab or more than 4 spaces)';
	if (code === 132005) return 'The filled-in template text is too long: shorten the parameters';
	if (code === 132015 || code === 132016)
		return 'The template is paused or disabled by Meta: choose another template';
	if (code !== undefined && code >= 132000 && code < 133000)
		return 'Meta refused the template or its parameters: check the template settings';
	if (code === 100 || code === 131008 || code === 131009)
		return 'Meta refused the request as invalid: check the phone number ID, template and parameters';
	return 'Meta refused the request: every further send would fail the same way';
}
