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
	{
		displayName: 'Undeliverable In (Broadcasts in a Row)',
		name: 'undeliverableAfter',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 1000 },
		default: 3,
		description:
			'Count as undeliverable the subscribers whose announcements WhatsApp reported undeliverable (error 131026) in this many broadcasts in a row (Remove Undeliverable deletes them)',
	},
]);

/** Counts only: subscribers by source and language, joins and leaves per day. */
export const execute = eachItemWithStore(async function ({ store }, i) {
	const stats = await store.statistics({
		days: this.getNodeParameter('days', i) as number,
		undeliverableAfter: this.getNodeParameter('undeliverableAfter', i, 3) as number,
	});
	return {
		subscribers: stats.subscribers,
		bySource: { ...stats.bySource },
		byLanguage: { ...stats.byLanguage },
		joins: stats.days.reduce((n, d) => n + d.joins, 0),
		leaves: stats.days.reduce((n, d) => n + d.leaves, 0),
		days: stats.days.map((d) => ({ ...d })),
		undeliverable: stats.undeliverable,
	};
});
