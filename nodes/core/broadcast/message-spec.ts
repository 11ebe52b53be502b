/**
 * What an announcement says, independent of the channel that delivers it: a template approved at
 * the channel (named or positional parameters) or free text. The channel renders it (for WhatsApp:
 * channels/whatsapp/message.ts) and reports in the errors which setting to fix.
 */

export interface TemplateSpec {
	mode: 'template';
	name: string;
	/** A fixed code (`de`, `en_US`), or `subscriber` for each subscriber's own language. */
	language: string;
	/** Named (`{{title}}`) or positional (`{{1}}`) body placeholders. */
	parameterFormat: 'named' | 'positional';
	/** Body parameters in placeholder order; `name` is needed for named placeholders. */
	body: Array<{ name?: string; value: unknown }>;
	/** Value for a header with one text placeholder. */
	header?: unknown;
	/** Payload of a quick-reply "Stop" button, so a tap unsubscribes (the trigger sees the payload). */
	stopButton?: { index: number; payload: string };
	/** Most characters per body parameter (the whole filled body must stay ≤ 1024). */
	maxParameterLength?: number;
}

export interface TextSpec {
	mode: 'text';
	text: string;
	previewUrl?: boolean;
}

export type MessageSpec = TemplateSpec | TextSpec;
