import type { SimTemplate } from './templates';

/** One template as Meta's `GET /{waba-id}/message_templates` lists it. */
interface ServerListedTemplate {
	id: string;
	name: string;
	language: string;
	status: 'APPROVED';
	category: 'UTILITY';
	parameter_format: 'NAMED' | 'POSITIONAL';
	components: Array<Record<string, unknown>>;
}

/**
 * The approved templates in Meta's list format, filtered by `name` like Meta does (a substring
 * match: callers pick the exact name themselves).
 */
export function listTemplates(
	templates: SimTemplate[],
	name: string | null,
): { data: ServerListedTemplate[]; paging: { cursors: { before: string; after: string } } } {
	const data = templates
		.filter((t) => !name || t.name.includes(name))
		.map((t, i) => ({
			id: String(900000000000000 + i),
			name: t.name,
			language: t.language,
			status: 'APPROVED' as const,
			category: 'UTILITY' as const,
			parameter_format: t.parameterNames ? ('NAMED' as const) : ('POSITIONAL' as const),
			components: [
				...(t.header ? [{ type: 'HEADER', format: 'TEXT', text: t.header }] : []),
				{ type: 'BODY', text: t.body },
				...(t.quickReplies?.length
					? [
							{
								type: 'BUTTONS',
								buttons: t.quickReplies.map((text) => ({ type: 'QUICK_REPLY', text })),
							},
						]
					: []),
			],
		}));
	return { data, paging: { cursors: { before: 'MAZDZD', after: 'MjQZD' } } };
}
