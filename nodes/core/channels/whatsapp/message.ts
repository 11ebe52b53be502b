import type { MessageSpec, TemplateSpec, TextSpec } from '../../broadcast/message-spec';
import { sanitizeParameter } from '../../broadcast/sanitize';
import { InputError } from '../../errors';
import { CATALOGUE, DEFAULT_LANGUAGE } from '../../language';
import type { Recipient } from '../../store/types';
import type {
	ClientMessage,
	ClientTemplateComponent,
	ClientUnaddressedMessage,
} from './wire-types';

const HEADER_MAX = 60;
const TEXT_MAX = 4096;
const DEFAULT_PARAMETER_MAX = 400;

/** Checks and sanitises the spec once per broadcast; errors name the setting to fix. */
export function prepareMessage(
	spec: MessageSpec,
	callbackData?: string,
): (recipient: Recipient) => ClientMessage {
	const base = spec.mode === 'template' ? prepareTemplate(spec) : prepareText(spec);
	const opaque = callbackData ? { biz_opaque_callback_data: callbackData.slice(0, 512) } : {};
	return (recipient) => {
		if (!recipient.phone)
			throw new InputError(`Subscriber ${recipient.pseudonym} has no phone number to send to`);
		const message = { ...base, to: recipient.phone, ...opaque } as ClientMessage;
		if (message.type === 'template' && spec.mode === 'template' && spec.language === 'subscriber') {
			message.template = { ...message.template, language: { code: templateLanguage(recipient) } };
		}
		return message;
	};
}

function prepareText(spec: TextSpec): ClientUnaddressedMessage {
	const body = String(spec.text ?? '').trim();
	if (!body) throw new InputError('The message text is empty: enter the text to send');
	if (body.length > TEXT_MAX)
		throw new InputError(
			`The message text has ${body.length} characters; WhatsApp allows at most ${TEXT_MAX}`,
		);
	return {
		messaging_product: 'whatsapp',
		recipient_type: 'individual',
		type: 'text',
		text: { preview_url: spec.previewUrl ?? false, body },
	};
}

function prepareTemplate(spec: TemplateSpec): ClientUnaddressedMessage {
	const name = String(spec.name ?? '').trim();
	if (!name)
		throw new InputError('The template name is empty: enter the name of an approved template');
	const language = String(spec.language ?? '').trim();
	if (!language)
		throw new InputError(
			'The template language is empty: enter a code such as "de" or choose the subscriber\'s language',
		);
	const max = spec.maxParameterLength ?? DEFAULT_PARAMETER_MAX;
	const components: ClientTemplateComponent[] = [];
	if (spec.header !== undefined && spec.header !== null && spec.header !== '') {
		components.push({
			type: 'header',
			parameters: [
				{ type: 'text', text: renderValue(spec.header, 'header parameter', HEADER_MAX) },
			],
		});
	}
	if (spec.body.length > 0) {
		components.push({
			type: 'body',
			parameters: spec.body.map((parameter, index) => {
				const label = parameter.name
					? `body parameter "${parameter.name}"`
					: `body parameter ${index + 1}`;
				const text = renderValue(parameter.value, label, max);
				if (spec.parameterFormat !== 'named') return { type: 'text' as const, text };
				const parameterName = String(parameter.name ?? '').trim();
				if (!/^[a-z0-9_]+$/.test(parameterName))
					throw new InputError(
						`${label} needs a name of lower-case letters, digits and underscores, as in the template ({{title}} → title)`,
					);
				return { type: 'text' as const, text, parameter_name: parameterName };
			}),
		});
	}
	if (spec.stopButton) {
		const { index, payload } = spec.stopButton;
		if (!(Number.isInteger(index) && index >= 0 && index <= 9))
			throw new InputError(
				`The Stop button index must be a whole number from 0 to 9 (got ${index})`,
			);
		if (!payload) throw new InputError('The Stop button payload is empty: enter e.g. STOP');
		components.push({
			type: 'button',
			sub_type: 'quick_reply',
			index: String(index),
			parameters: [{ type: 'payload', payload }],
		});
	}
	return {
		messaging_product: 'whatsapp',
		recipient_type: 'individual',
		type: 'template',
		template: {
			name,
			// Each subscriber's language replaces the placeholder when the message is addressed.
			language: { code: language === 'subscriber' ? DEFAULT_LANGUAGE : language },
			...(components.length ? { components } : {}),
		},
	};
}

function renderValue(value: unknown, label: string, max: number): string {
	if (value !== null && typeof value === 'object')
		throw new InputError(
			`The ${label} is an object, not text: map a text field such as {{ $json.title }}`,
		);
	const text = sanitizeParameter(value, { maxLength: max });
	if (!text)
		throw new InputError(
			`The ${label} is empty after removing HTML and whitespace: map a field that has text`,
		);
	return text;
}

/** Meta's code for each language of the catalogue, looked up once per recipient. */
const TEMPLATE_LANGUAGES: ReadonlyMap<string, string> = new Map(
	CATALOGUE.entries.map((entry) => [entry.code, entry.templateLanguage]),
);

/** Meta's code for the subscriber's language; a code the catalogue lacks is sent as stored. */
function templateLanguage(recipient: Recipient): string {
	return TEMPLATE_LANGUAGES.get(recipient.language) ?? recipient.language;
}
