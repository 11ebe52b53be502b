import type { TemplateSpec } from '../../nodes/core/broadcast';

/**
 * The `civic_announcement` template as the workflows send it: named `title` and `link`
 * parameters, the subscriber's language, and the Stop quick-reply button.
 */
export function announcementTemplate(title: string, link: string): TemplateSpec {
	return {
		mode: 'template',
		name: 'civic_announcement',
		language: 'subscriber',
		parameterFormat: 'named',
		body: [
			{ name: 'title', value: title },
			{ name: 'link', value: link },
		],
		stopButton: { index: 0, payload: 'STOP' },
	};
}
