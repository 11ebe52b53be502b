import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	previewBroadcast,
	type BroadcastPreview,
	type BroadcastRequest,
} from '../../core/broadcast';
import { whatsAppMessages, type ClientUnaddressedMessage } from '../../core/channels/whatsapp';
import type { ApiSettings, BroadcastContext } from './context';
import { renderTemplateText, type ServerTemplate } from './template-text';

/** What Dry Run outputs: the counts, and the text the first recipient would read. */
export type DryRunResult = BroadcastPreview<ClientUnaddressedMessage> & {
	/** Exactly what the citizen sees, parameters filled in; absent when it cannot be known. */
	renderedText?: string;
	/** Why `renderedText` is absent, or what a real run would run into. */
	renderedTextNote?: string;
};

/**
 * Counts and renders without sending or writing anything. A template's wording lives at Meta, so
 * it is read (not changed) through the Graph API's template list of the WhatsApp Business Account.
 */
export async function dryRun(
	fn: IExecuteFunctions,
	context: BroadcastContext,
	request: BroadcastRequest,
): Promise<IDataObject> {
	const preview = await previewBroadcast((await context.open()).store, whatsAppMessages, request);
	const rendered = await renderFirstMessage(fn, context, preview.firstMessage);
	const { key, ...rest } = preview;
	// The text first: it is what staff check in a dry run.
	return { key, ...rendered, ...rest } as unknown as IDataObject;
}

async function renderFirstMessage(
	fn: IExecuteFunctions,
	context: BroadcastContext,
	message: ClientUnaddressedMessage,
): Promise<Pick<DryRunResult, 'renderedText' | 'renderedTextNote'>> {
	if (message.type === 'text') return { renderedText: message.text.body };
	const { name, language } = message.template;
	const settings = await context.apiSettings();
	if (!settings.wabaId)
		return {
			renderedTextNote: `Enter the WhatsApp Business Account ID in the WhatsApp Broadcast API credential to see the text of template "${name}"`,
		};
	let templates: ServerTemplate[];
	try {
		templates = await listTemplates(fn, settings, name);
	} catch (error) {
		return {
			renderedTextNote: `The text of template "${name}" could not be read from Meta (${metaReason(error)})`,
		};
	}
	const template = templates.find((t) => t.name === name && t.language === language.code);
	if (!template)
		return {
			renderedTextNote: `Template "${name}" has no "${language.code}" version in the WhatsApp Business Account: a real run would stop with Meta's error 132001`,
		};
	return {
		renderedText: renderTemplateText(template, message),
		...(template.status && template.status !== 'APPROVED'
			? {
					renderedTextNote: `Template "${name}" (${language.code}) is ${template.status}, not approved: a real run would fail`,
				}
			: {}),
	};
}

/** Every language version of the template (Meta filters by name; the exact match is ours). */
async function listTemplates(
	fn: IExecuteFunctions,
	settings: ApiSettings,
	name: string,
): Promise<ServerTemplate[]> {
	// The same bearer token the sends use; this read goes through n8n's HTTP helper (and its proxy).
	const answer = (await fn.helpers.httpRequest({
		method: 'GET',
		url: `${settings.baseUrl}/${settings.version}/${encodeURIComponent(settings.wabaId)}/message_templates`,
		qs: { name, fields: 'name,language,status,components', limit: 100 },
		headers: { Authorization: `Bearer ${settings.accessToken}` },
		json: true,
	})) as { data?: ServerTemplate[] };
	return answer.data ?? [];
}

/** Meta's error code and message when it answered, else the kind of failure; nothing else. */
function metaReason(error: unknown): string {
	const body = (error as { response?: { data?: unknown } }).response?.data as
		| { error?: { code?: unknown; message?: unknown } }
		| undefined;
	const meta = body?.error;
	if (meta && typeof meta.message === 'string')
		return `Meta error ${String(meta.code ?? '')}: ${meta.message}`.trim();
	return error instanceof Error ? error.message.slice(0, 200) : 'no answer';
}
