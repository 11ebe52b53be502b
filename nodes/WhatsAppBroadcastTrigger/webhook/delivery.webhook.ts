import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import {
	checkSignature,
	receiveDelivery as sealDelivery,
	type DedupeStorage,
	type DeliveryCounts,
} from '../../core/webhook';
import { readApiCredential } from '../../shared/api-credential';
import { storeFor, type ConsentStoreCredential } from '../../shared/store-cache';
import { STORE_CREDENTIAL } from '../../shared/store-context';
import { NO_EXECUTION, respond } from './respond';
import { readTriggerOptions, type TriggerOptions } from './trigger-options';

/** Meta allows 3 MB; anything far beyond is not from Meta and is refused before parsing. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** The raw request bytes: n8n reads them before parsing the body (`req.rawBody`). */
async function rawBodyOf(context: IWebhookFunctions): Promise<Buffer | undefined> {
	const req = context.getRequestObject() as unknown as {
		rawBody?: Buffer;
		readRawBody?: () => Promise<void>;
	};
	if (!req.rawBody && typeof req.readRawBody === 'function') await req.readRawBody();
	return Buffer.isBuffer(req.rawBody) ? req.rawBody : undefined;
}

/**
 * Where processed events are remembered: the consent store (shared by all workers), or the
 * workflow's static data, which n8n saves after each production webhook call.
 */
function dedupeStorage(
	context: IWebhookFunctions,
	consent: () => Promise<ConsentStoreCredential>,
	options: TriggerOptions,
): DedupeStorage {
	if (options.dedupeStorage === 'staticData')
		return {
			kind: 'record',
			record: () => {
				const staticData = context.getWorkflowStaticData('node');
				return (staticData.processedEvents ??= {}) as Record<string, number>;
			},
			maxEntries: options.staticDataMaxEntries,
		};
	return { kind: 'store', open: async () => (await storeFor(await consent())).store };
}

/**
 * Junk identities (sender `0`, a 205-digit string, …) were dropped by the core: say how many, but
 * never which, so the log does not become the place they are kept.
 */
function logImplausible(log: (level: 'warn', message: string) => void, counts: DeliveryCounts) {
	const senders = counts.implausible_sender ?? 0;
	const recipients = counts.implausible_recipient ?? 0;
	if (senders > 0)
		log('warn', `dropped ${senders} message(s) from an implausible sender, nothing stored`);
	if (recipients > 0)
		log('warn', `dropped ${recipients} status(es) for an implausible recipient, nothing stored`);
}

/**
 * POST: a signed delivery of messages, statuses and preference updates. The signature is checked
 * here; parsing, filtering, dedupe and sealing happen in the core, which hands back sealed items.
 */
export async function receiveDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const log = (level: 'info' | 'warn' | 'error', message: string, counts: IDataObject = {}) =>
		this.logger[level](`WhatsApp webhook: ${message}`, { node: this.getNode().name, ...counts });

	const api = await readApiCredential(this);
	if (!api.appSecret) {
		// 500, not 401: Meta keeps retrying for 7 days, so nothing is lost once the secret is set.
		log('error', 'the App Secret is not set in the WhatsApp Broadcast API credential');
		respond(this, 500, 'Webhook not configured');
		return NO_EXECUTION;
	}
	const raw = await rawBodyOf(this);
	if (raw && raw.length > MAX_BODY_BYTES) {
		log('warn', 'body too large, refused', { bytes: raw.length });
		respond(this, 413, 'Payload too large');
		return NO_EXECUTION;
	}
	const signature = checkSignature(raw, this.getHeaderData()['x-hub-signature-256'], api.appSecret);
	if (!signature.ok) {
		log('warn', `signature check failed (${signature.reason}), nothing processed`);
		respond(this, 401, 'Invalid signature');
		return NO_EXECUTION;
	}
	let body: unknown;
	try {
		// A leading byte-order mark is tolerated, as n8n's own body parser does.
		body = JSON.parse(raw!.toString('utf8').replace(/^\uFEFF/, ''));
	} catch {
		log('warn', 'signed body is not valid JSON, nothing processed', { bytes: raw!.length });
		respond(this, 400, 'Body is not valid JSON');
		return NO_EXECUTION;
	}

	const options = readTriggerOptions(this);
	// Read only when an event passed the filters, like the store it names.
	let credential: Promise<ConsentStoreCredential> | undefined;
	const consent = () =>
		(credential ??= this.getCredentials<ConsentStoreCredential>(STORE_CREDENTIAL));
	const outcome = await sealDelivery(body, {
		dataProtectionKey: async () => (await consent()).dataProtectionKey,
		ownPhoneNumberId: options.onlyOwnNumber ? api.phoneNumberId : undefined,
		messageTypes: options.messageTypes,
		statuses: options.statuses,
		maxAgeMinutes: options.maxAgeMinutes,
		keepProfileName: options.keepProfileName,
		dedupe: dedupeStorage(this, consent, options),
		now: new Date(),
	});
	logImplausible(log, outcome.counts);
	if (outcome.kind === 'failed') {
		// A store that is down or a missing key: answer 500 so Meta redelivers later.
		log('error', `delivery not processed, Meta will retry: ${outcome.reason}`, outcome.counts);
		respond(this, 500, 'Temporarily unable to process');
		return NO_EXECUTION;
	}
	if (outcome.kind === 'nothing-selected') {
		log('info', 'delivery accepted, nothing to emit', outcome.counts);
		respond(this, 200, 'OK');
		return NO_EXECUTION;
	}
	const { messages, statuses } = outcome.items;
	log('info', 'delivery accepted', outcome.counts);
	respond(this, 200, 'OK');
	if (messages.length + statuses.length === 0) return NO_EXECUTION;
	return {
		noWebhookResponse: true,
		workflowData: [
			messages.map((json) => ({ json: json as unknown as IDataObject })),
			statuses.map((json) => ({ json: json as unknown as IDataObject })),
		],
	};
}
