import { metaError, type SimError } from './meta-errors';

/** An approved template as the simulator knows it. */
export interface SimTemplate {
	name: string;
	/** Language code exactly as Meta expects it (`de`, `sl`, `en`, `en_US`). */
	language: string;
	/** Body text with `{{1}}`… (positional) or `{{title}}`… (named) placeholders. */
	body: string;
	/** Named parameters in order, when the template uses named placeholders. */
	parameterNames?: string[];
	/** Header text with one placeholder, if the header takes a parameter. */
	header?: string;
	/** Quick-reply button labels, in index order. */
	quickReplies?: string[];
}

const ANNOUNCEMENT_BODIES: Record<string, string> = {
	de: 'Neuigkeiten aus Ihrer Gemeinde: {{title}}. Mehr unter {{link}}. Antworten Sie STOP, um sich abzumelden.',
	sl: 'Novice iz vaše občine: {{title}}. Več na {{link}}. Za odjavo odgovorite STOP.',
	en: 'News from your municipality: {{title}}. More at {{link}}. Reply STOP to unsubscribe.',
};

/** Templates the simulator approves unless told otherwise (the ones our README asks admins to submit). */
export const DEFAULT_TEMPLATES: SimTemplate[] = [
	...Object.entries(ANNOUNCEMENT_BODIES).map(([language, body]) => ({
		name: 'civic_announcement',
		language,
		body,
		parameterNames: ['title', 'link'],
		quickReplies: ['Stop'],
	})),
	...['de', 'sl', 'en'].map((language) => ({
		name: 'civic_announcement_positional',
		language,
		body: '{{1}} – {{2}}',
		header: '{{1}}',
	})),
	{ name: 'hello_world', language: 'en_US', body: 'Hello World' },
];

const MAX_BODY = 1024;
const MAX_HEADER = 60;

interface ClientParameter {
	type?: string;
	text?: unknown;
	parameter_name?: unknown;
	payload?: unknown;
}

interface ClientComponent {
	type?: string;
	sub_type?: string;
	index?: unknown;
	parameters?: ClientParameter[];
}

export interface ClientTemplate {
	name?: unknown;
	language?: { code?: unknown };
	components?: ClientComponent[];
}

function invalidText(text: string): boolean {
	return /[\n\t]/.test(text) || / {5,}/.test(text);
}

function fill(text: string, values: Map<string, string>): string {
	return text.replace(/\{\{\s*([\w]+)\s*\}\}/g, (_, key: string) => values.get(key) ?? '');
}

function textParameters(component: ClientComponent | undefined): ClientParameter[] {
	return component?.parameters ?? [];
}

function checkParameters(params: ClientParameter[]): SimError | undefined {
	for (const p of params) {
		if (p.type !== 'text' || typeof p.text !== 'string') {
			return metaError(132012, 'Parameter format does not match format in the created template');
		}
		if (invalidText(p.text)) {
			return metaError(
				132018,
				'Param text cannot have new-line/tab characters or more than 4 consecutive spaces',
			);
		}
	}
	return undefined;
}

function bodyValues(
	template: SimTemplate,
	params: ClientParameter[],
): SimError | Map<string, string> {
	const expected =
		template.parameterNames?.length ?? (template.body.match(/\{\{\s*\d+\s*\}\}/g) ?? []).length;
	if (params.length !== expected) {
		return metaError(
			132000,
			`body: number of localizable_params (${params.length}) does not match the expected number of params (${expected})`,
		);
	}
	const values = new Map<string, string>();
	if (template.parameterNames) {
		for (const p of params) {
			if (
				typeof p.parameter_name !== 'string' ||
				!template.parameterNames.includes(p.parameter_name)
			) {
				return metaError(132000, 'body: named parameter does not exist in the template');
			}
			values.set(p.parameter_name, p.text as string);
		}
	} else {
		params.forEach((p, i) => values.set(String(i + 1), p.text as string));
	}
	return values;
}

/** Validates a template send like Meta does; returns the rendered body text or the error Meta would give. */
export function validateTemplate(
	templates: SimTemplate[],
	sent: ClientTemplate | undefined,
): { ok: true; text: string } | { ok: false; error: SimError } {
	if (!sent || typeof sent.name !== 'string' || typeof sent.language?.code !== 'string') {
		return {
			ok: false,
			error: metaError(100, 'template.name and template.language.code are required'),
		};
	}
	const template = templates.find(
		(t) => t.name === sent.name && t.language === sent.language?.code,
	);
	if (!template) {
		return {
			ok: false,
			error: metaError(
				132001,
				`template name (${sent.name}) does not exist in ${sent.language.code}`,
			),
		};
	}
	const components = sent.components ?? [];
	const body = textParameters(components.find((c) => c.type === 'body'));
	const header = textParameters(components.find((c) => c.type === 'header'));
	const bad = checkParameters(body) ?? checkParameters(header);
	if (bad) return { ok: false, error: bad };
	const values = bodyValues(template, body);
	if (!(values instanceof Map)) return { ok: false, error: values };
	if (header.length !== (template.header ? 1 : 0)) {
		return { ok: false, error: metaError(132000, 'header: number of parameters does not match') };
	}
	for (const button of components.filter((c) => c.type === 'button')) {
		const index = Number(button.index);
		if (
			button.sub_type !== 'quick_reply' ||
			!(index >= 0 && index < (template.quickReplies?.length ?? 0))
		) {
			return {
				ok: false,
				error: metaError(131009, 'button: the template has no quick-reply button at this index'),
			};
		}
	}
	const text = fill(template.body, values);
	const headerText = template.header
		? fill(template.header, new Map([['1', header[0].text as string]]))
		: '';
	if (text.length > MAX_BODY || headerText.length > MAX_HEADER) {
		return { ok: false, error: metaError(132005, 'Translated text too long') };
	}
	return { ok: true, text: headerText ? `${headerText}\n${text}` : text };
}
