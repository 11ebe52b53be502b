import { updateDisplayOptions } from 'n8n-workflow';

import { eachItemWithStore } from '../../shared/store-context';

export const description = updateDisplayOptions({ show: { operation: ['statistics'] } }, [
	{
		displayName: 'Days',
		name: 'days',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 366 },
		default: 30,
		description: 'How many days of joins and leaves to list, up to today (UTC)',
	},
]);

/** Counts only: subscribers by source and language, joins and leaves per day. */
export const execute = eachItemWithStore(async function ({ store }, i) {
	const stats = await store.statistics({ days: this.getNodeParameter('days', i) as number });
	return {
		subscribers: stats.subscribers,
		bySource: { ...stats.bySource },
		byLanguage: { ...stats.byLanguage },
		joins: stats.days.reduce((n, d) => n + d.joins, 0),
		leaves: stats.days.reduce((n, d) => n + d.leaves, 0),
		days: stats.days.map((d) => ({ ...d })),
	};
});
