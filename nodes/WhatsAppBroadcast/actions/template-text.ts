import type {
	ClientTextParameter,
	ClientUnaddressedMessage,
} from '../../core/channels/whatsapp/wire-types';

/** A message template as Meta's `GET /{waba-id}/message_templates` lists it (fields we use). */
export interface ServerTemplate {
	name?: string;
	language?: string;
	status?: string;
	components?: Array<{
		type?: string;
		format?: string;
		text?: string;
		buttons?: Array<{ type?: string; text?: string }>;
	}>;
}

type TemplateMessage = Extract<ClientUnaddressedMessage, { type: 'template' }>;

/**
 * The text a citizen sees for this message: a text message's body, or the template's header,
 * body, footer and buttons with the message's parameters filled in (one line each; buttons as
 * `[Stop]`, a media header as `[image]`). A placeholder the message does not fill stays visible.
 */
export function renderTemplateText(template: ServerTemplate, message: TemplateMessage): string {
	const components = message.template.components ?? [];
	const parametersOf = (type: 'header' | 'body') =>
		components.flatMap((c) => (c.type === type ? c.parameters : []));
	const lines: string[] = [];
	for (const component of template.components ?? []) {
		switch (component.type?.toUpperCase()) {
			case 'HEADER':
				lines.push(
					!component.format || component.format.toUpperCase() === 'TEXT'
						? fill(component.text ?? '', parametersOf('header'))
						: `[${component.format.toLowerCase()}]`,
				);
				break;
			case 'BODY':
				lines.push(fill(component.text ?? '', parametersOf('body')));
				break;
			case 'FOOTER':
				lines.push(component.text ?? '');
				break;
			case 'BUTTONS':
				lines.push((component.buttons ?? []).map((b) => `[${b.text ?? ''}]`).join(' '));
				break;
		}
	}
	return lines.filter((line) => line !== '').join('\n');
}

/** `{{title}}` takes the parameter of that name, `{{1}}` the first positional one. */
function fill(text: string, parameters: ClientTextParameter[]): string {
	return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (all, key: string) => {
		const named = parameters.find((p) => p.parameter_name === key);
		const value = named ?? (/^\d+$/.test(key) ? parameters[Number(key) - 1] : undefined);
		return value?.text ?? all;
	});
}
