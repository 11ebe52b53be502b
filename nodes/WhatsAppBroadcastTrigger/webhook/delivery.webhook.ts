import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { CivicBroadcastError } from '../../core/errors';
import {
	checkSignature,
	dropDuplicates,
	parseEvents,
	selectEvents,
	toItems,
	type WebhookEvent,
} from '../../core/webhook';
import { storeFor, type ConsentStoreCredential } from '../../shared/store-cache';
import { derivePrivacyKeys } from '../../core/privacy/keys';
import { staticDataClaimer, storeClaimer } from './dedupe-storage';
import { NO_EXECUTION, respond } from './respond';
import { readTriggerOptions } from './trigger-options';

/** Meta allows 3 MB; anything far beyond is not from Meta and is refused before parsing. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

interface ApiCredential {
	appSecret?: string;
	phoneNumberId?: string;
}

/** The raw request bytes: n8n reads them before parsing the body (`req.rawBody`). */
async function rawBodyOf(context: IWebhookFunctions): Promise<Buffer | undefined> {
	const req = context.getRequestObject() as unknown as {
		rawBody?: Buffer;
		readRawBody?: () => Promise<void>;
	};
	if (!req.rawBody && typeof req.readRawBody === 'function') await req.readRawBody();
	return Buffer.isBuffer(req.rawBody) ? req.rawBody : undefined;
}

/** POST: a signed delivery of messages, statuses and preference updates. */
export async function receiveDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const log = (level: 'info' | 'warn' | 'error', message: string, counts: IDataObject = {}) =>
		this.logger[level](`WhatsApp webhook: ${message}`, { node: this.getNode().name, ...counts });

	const api = await this.getCredentials<ApiCredential>('whatsAppBroadcastApi');
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

	const parsed = parseEvents(body);
	const options = readTriggerOptions(this);
	let events: WebhookEvent[] = parsed.events;
	let otherNumber = 0;
	if (options.onlyOwnNumber && api.phoneNumberId) {
		// An event without metadata is kept: better a stray item than a lost opt-out.
		events = events.filter(
			(event) => event.phoneNumberId === '' || event.phoneNumberId === api.phoneNumberId,
		);
		otherNumber = parsed.events.length - events.length;
	}
	const selection = selectEvents(events, {
		messageTypes: options.messageTypes,
		statuses: options.statuses,
		maxAgeMinutes: options.maxAgeMinutes,
		now: Date.now(),
	});
	const counts: IDataObject = {
		events: parsed.events.length,
		...parsed.skipped,
		otherNumber,
		droppedByType: selection.droppedByType,
		droppedAsOld: selection.droppedAsOld,
	};
	if (selection.kept.length === 0) {
		log('info', 'delivery accepted, nothing to emit', counts);
		respond(this, 200, 'OK');
		return NO_EXECUTION;
	}

	try {
		const consent = await this.getCredentials<ConsentStoreCredential>('consentStoreDb');
		const keys = derivePrivacyKeys(consent.dataProtectionKey);
		const claimer =
			options.dedupeStorage === 'staticData'
				? staticDataClaimer(this, keys, options)
				: storeClaimer((await storeFor(consent)).store);
		const { fresh, duplicates } = await dropDuplicates(selection.kept, claimer, new Date());
		const items = toItems(fresh, keys, { keepProfileName: options.keepProfileName });
		log('info', 'delivery accepted', {
			...counts,
			duplicates,
			messages: items.messages.length,
			statuses: items.statuses.length,
		});
		respond(this, 200, 'OK');
		if (fresh.length === 0) return NO_EXECUTION;
		return {
			noWebhookResponse: true,
			workflowData: [
				items.messages.map((json) => ({ json: json as unknown as IDataObject })),
				items.statuses.map((json) => ({ json: json as unknown as IDataObject })),
			],
		};
	} catch (error) {
		// A store that is down or a missing key: answer 500 so Meta redelivers later. Only our own
		// (vetted) messages are logged; anything else is named by type only.
		const reason = error instanceof CivicBroadcastError ? error.message : (error as Error)?.name;
		log('error', `delivery not processed, Meta will retry: ${reason}`, counts);
		respond(this, 500, 'Temporarily unable to process');
		return NO_EXECUTION;
	}
}
